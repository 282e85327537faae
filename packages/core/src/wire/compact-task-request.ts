import type { TaskRequest, WireTaskRun } from './task-request.js';

/**
 * A task request in its compact form, `[definitionId, args]` or
 * `[definitionId, args, timeout]`: the task's name and function were sent once before, in a
 * full {@link TaskRequest} whose `definitionId` the other side keeps them under.
 */
export type CompactTaskRequest =
  | readonly [definitionId: number, args: readonly unknown[]]
  | readonly [definitionId: number, args: readonly unknown[], timeout: number];

/** How many task definitions one runner keeps; requests for further tasks are sent whole. */
export const maximumTaskDefinitions = 256;

interface SentDefinition {
  readonly id: number;
  readonly taskName: string;
}

/**
 * The host's side of the compact form, one per runner: the first request for a task goes
 * whole with a `definitionId`, later ones as `[definitionId, args]` (18 bytes on the wire
 * for a trivial call instead of about 100). A task is recognised by its request's `run`
 * object, which `createTaskRequest` makes once per task, and by its name.
 */
export class TaskRequestCompactor {
  readonly #sent = new Map<WireTaskRun, SentDefinition>();

  /** What to post for `request`: itself with a `definitionId` the first time, then compact. */
  compact(request: TaskRequest): TaskRequest | CompactTaskRequest {
    const sent = this.#sent.get(request.run);
    if (sent !== undefined && sent.taskName === request.taskName) {
      return request.timeout === undefined
        ? [sent.id, request.args]
        : [sent.id, request.args, request.timeout];
    }
    if (sent !== undefined || this.#sent.size >= maximumTaskDefinitions) return request;
    const id = this.#sent.size + 1;
    this.#sent.set(request.run, { id, taskName: request.taskName });
    return { ...request, definitionId: id };
  }
}

/**
 * The other side of {@link TaskRequestCompactor} (a worker entry): keeps the task of each
 * whole request that carries a `definitionId` and rebuilds whole requests from compact ones.
 */
export class TaskDefinitions {
  readonly #definitions = new Map<number, Pick<TaskRequest, 'taskName' | 'run'>>();

  /**
   * The whole request for what the host posted. Throws a `RangeError` for a compact request
   * whose definition never arrived (a host that does not follow the protocol).
   */
  expand(message: TaskRequest | CompactTaskRequest): TaskRequest {
    if (!Array.isArray(message)) {
      const request = message as TaskRequest;
      if (request.definitionId !== undefined) {
        this.#definitions.set(request.definitionId, {
          taskName: request.taskName,
          run: request.run,
        });
      }
      return request;
    }
    const [definitionId, args, timeout] = message as CompactTaskRequest;
    const definition = this.#definitions.get(definitionId);
    if (definition === undefined) {
      throw new RangeError(
        `a compact task request names task definition ${definitionId}, which was never sent`,
      );
    }
    const { taskName, run } = definition;
    return timeout === undefined ? { taskName, run, args } : { taskName, run, args, timeout };
  }
}
