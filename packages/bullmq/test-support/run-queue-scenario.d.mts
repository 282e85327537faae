import type { TaskFailureRecord } from '@timebox/bullmq';

/** A job of a scenario: its name and data, whether it is a runaway, the result it should give. */
export interface ScenarioJob {
  readonly name: 'square' | 'spin' | 'crash' | 'fail';
  readonly data: unknown;
  readonly runaway: boolean;
  readonly expected?: unknown;
  /** BullMQ job options beyond the scenario's attempts and backoff. */
  readonly opts?: Record<string, unknown>;
}

/** Options of {@link runQueueScenario}. */
export interface ScenarioOptions {
  readonly redisPort: number;
  readonly mode: 'timebox' | 'plain';
  /** One entry per worker process: its hard strategy in mode 'timebox' (ignored in 'plain'). */
  readonly workers: readonly ('worker' | 'process')[];
  readonly concurrency?: number;
  readonly lockDuration?: number;
  readonly stalledInterval?: number;
  readonly maxStalledCount?: number;
  /** The processor's timeout option (mode 'timebox'). */
  readonly timeout?: number;
  readonly unrecoverable?: readonly ('timeout' | 'abort' | 'crash')[];
  readonly jobs: readonly ScenarioJob[];
  readonly attempts?: number;
  readonly settleWithinMs?: number;
  readonly queueName?: string;
}

/** A job as it ended. */
export interface ScenarioJobRecord {
  readonly id: string;
  readonly name: string;
  readonly data: unknown;
  readonly state: string;
  readonly returnvalue: unknown;
  readonly failedReason: string | undefined;
  readonly stacktrace: string[] | null;
  readonly failure: TaskFailureRecord | null;
  readonly attemptsMade: number;
  readonly attemptsStarted: number;
  readonly stalledCounter: number;
  readonly processedOn: number | undefined;
  readonly finishedOn: number | undefined;
}

/** A worker process's report after it closed. */
export interface WorkerReport {
  readonly pid: number;
  readonly mode?: string;
  readonly strategy?: string | null;
  readonly stalled?: string[];
  readonly errors?: string[];
  readonly longestLagMs?: number;
  readonly blockedMs?: number;
  readonly blocks?: number[];
  readonly strategiesStarted?: string[];
  readonly exit: { code: number | null; signal: string | null } | string;
}

/** What a scenario gives back. */
export interface ScenarioResult {
  readonly queueName: string;
  readonly settled: boolean;
  readonly wallMs: number;
  readonly jobs: readonly ScenarioJobRecord[];
  readonly stalledEvents: readonly string[];
  readonly workers: readonly WorkerReport[];
  readonly processesSeen: number;
  readonly leftovers: readonly number[];
}

/** The standard job mix. */
export function standardJobs(options: {
  total: number;
  runaways: number;
  runawayMs: number;
  slow?: number;
  slowMs?: number;
}): ScenarioJob[];

/** Runs one scenario against the Redis on 127.0.0.1:redisPort. */
export function runQueueScenario(options: ScenarioOptions): Promise<ScenarioResult>;

/** The running processes carrying a scenario's marker. */
export function processesCarrying(marker: string): number[];

/** Whether `pid` is a running process. */
export function isRunning(pid: number): boolean;
