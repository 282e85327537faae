import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A JavaScript runtime the smoke matrix runs a program under. */
export interface SmokeRuntime {
  /** `node`, `bun` or `deno`. */
  readonly name: string;
  /** The executable. */
  readonly command: string;
  /** Arguments before the program's path. */
  readonly arguments: readonly string[];
}

const pinnedRuntimes = new URL('../../../../scripts/runtimes/node_modules/', import.meta.url);

/** Node (this process's), and Bun and Deno as `scripts/ensure-runtimes.sh` installs them. */
export function smokeRuntimes(): SmokeRuntime[] {
  const bun = fileURLToPath(new URL('@oven/bun-linux-x64/bin/bun', pinnedRuntimes));
  const deno = fileURLToPath(new URL('@deno/linux-x64-glibc/deno', pinnedRuntimes));
  for (const binary of [bun, deno]) {
    if (!existsSync(binary)) {
      throw new Error(
        `${binary} is missing: run scripts/ensure-runtimes.sh from the repository root`,
      );
    }
  }
  return [
    { name: 'node', command: process.execPath, arguments: [] },
    { name: 'bun', command: bun, arguments: [] },
    { name: 'deno', command: deno, arguments: ['run', '-A'] },
  ];
}

/** What a program printed, one parsed JSON line per case, and how it ended. */
export interface ProgramRun {
  /** The JSON lines it printed, by their `case` field. */
  readonly cases: ReadonlyMap<string, Record<string, unknown>>;
  /** Everything it wrote to stderr. */
  readonly stderr: string;
  /** Its exit code; null when it was killed. */
  readonly exitCode: number | null;
  /** Whether it was still running at `limitMs` and was killed with its process group. */
  readonly killed: boolean;
}

/**
 * Runs `program` with `programArguments` under `runtime` in a process group of its own and
 * kills the group with SIGKILL if it has not ended after `limitMs` (a runtime that cannot
 * stop a thread keeps its process alive forever).
 */
export function runProgram(
  runtime: SmokeRuntime,
  program: string,
  programArguments: readonly string[],
  limitMs: number,
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime.command, [...runtime.arguments, program, ...programArguments], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      killed = true;
      process.kill(-(child.pid as number), 'SIGKILL');
    }, limitMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const cases = new Map<string, Record<string, unknown>>();
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        cases.set(String(parsed.case), parsed);
      }
      resolve({ cases, stderr, exitCode, killed });
    });
  });
}
