import { execFile, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectContext } from './detect-context.js';

const run = promisify(execFile);
const printSelection = fileURLToPath(new URL('./fixtures/print-selection.mjs', import.meta.url));
const loadWithoutProcess = fileURLToPath(
  new URL('./fixtures/load-without-process.mjs', import.meta.url),
);
const builtEntry = new URL('../dist/index.js', import.meta.url);
/** Node 22 calls it --permission; Node 20 --experimental-permission. */
const permissionFlag = process.allowedNodeEnvironmentFlags.has('--permission')
  ? '--permission'
  : '--experimental-permission';

interface Report {
  context: Record<string, unknown>;
  cached: boolean;
  selections: Record<
    string,
    { name: string; rule: string; reason: string; passedOver: { name: string; reason: string }[] }
  >;
  warnings: string[];
}

const childPids: number[] = [];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'ProcessWrap' || resource === 'Worker');
}

async function childHandlesReleased(within: number): Promise<string[]> {
  const deadline = Date.now() + within;
  while (childHandles().length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return childHandles();
}

async function runNode(args: string[]): Promise<string> {
  const running = run(process.execPath, args, { env: { ...process.env, CI: '' }, timeout: 15_000 });
  if (running.child.pid !== undefined) childPids.push(running.child.pid);
  return (await running).stdout;
}

async function runFixture(flags: string[]): Promise<Report> {
  return JSON.parse(await runNode([...flags, printSelection])) as Report;
}

describe('detectContext', () => {
  it('returns the same frozen object on the second call', () => {
    const first = detectContext();
    expect(detectContext()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('reads this Node process', () => {
    expect(detectContext()).toMatchObject({
      runtime: 'node',
      runtimeVersion: process.versions.node,
      platform: process.platform,
      thread: 'main',
      // vitest runs test files in forked processes
      ipcChannel: typeof process.send === 'function',
      workerThreadsAvailable: true,
      childProcessAvailable: true,
      availableParallelism: availableParallelism(),
    });
  });
});

describe('detectContext and selectStrategy in real Node processes', () => {
  beforeAll(() => {
    // The fixtures import the built package: turbo's test task builds it first.
    expect(readFileSync(builtEntry, 'utf8')).toContain('detectContext');
  });

  it(`falls back to thread, saying why, under ${permissionFlag} without --allow-worker and --allow-child-process`, async () => {
    const report = await runFixture([permissionFlag, '--allow-fs-read=*']);
    expect(report.cached).toBe(true);
    expect(report.context).toMatchObject({
      runtime: 'node',
      permissionModel: true,
      workerThreadsAvailable: true,
      childProcessAvailable: true,
      workersAllowed: false,
      childProcessesAllowed: false,
    });
    for (const key of ['module', 'inline', 'isolated', 'bound']) {
      expect(report.selections[key]).toMatchObject({ name: 'thread', rule: 'soft-fallback' });
    }
    expect(report.selections.unlimited).toMatchObject({ name: 'direct', rule: 'no-time-limit' });
    expect(report.warnings).toHaveLength(4);
    expect(report.warnings[0]).toContain('(start Node with --allow-worker)');
    expect(report.warnings[0]).toContain('(start Node with --allow-child-process)');
  });

  it('picks the worker under the permission model with --allow-worker', async () => {
    const report = await runFixture([permissionFlag, '--allow-fs-read=*', '--allow-worker']);
    expect(report.context).toMatchObject({ workersAllowed: true, childProcessesAllowed: false });
    expect(report.selections.module?.name).toBe('worker');
    expect(report.selections.inline?.name).toBe('worker');
    expect(report.selections.isolated).toMatchObject({ name: 'thread', rule: 'soft-fallback' });
  });

  it('picks the process strategy under the permission model with --allow-child-process', async () => {
    const report = await runFixture([permissionFlag, '--allow-fs-read=*', '--allow-child-process']);
    expect(report.context).toMatchObject({ workersAllowed: false, childProcessesAllowed: true });
    expect(report.selections.module).toMatchObject({ name: 'process', rule: 'child-process' });
    expect(report.selections.module?.reason).toContain('(start Node with --allow-worker)');
    expect(report.selections.isolated).toMatchObject({
      name: 'process',
      rule: 'process-isolation',
    });
  });

  it('picks the worker without the permission model', async () => {
    const report = await runFixture([]);
    expect(report.context).toMatchObject({ permissionModel: false, workersAllowed: true });
    expect(report.selections.module?.name).toBe('worker');
    expect(report.selections.isolated?.name).toBe('process');
    expect(report.selections.bound?.name).toBe('thread');
    expect(report.warnings).toHaveLength(1);
  });

  it('sees the IPC channel of a forked child process', async () => {
    const child = fork(printSelection, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    if (child.pid !== undefined) childPids.push(child.pid);
    const [report] = await Promise.all([
      new Promise<Report>((resolve, reject) => {
        child.once('message', (message) => resolve(message as Report));
        child.once('error', reject);
      }),
      new Promise((resolve) => child.once('close', resolve)),
    ]);
    expect(report.context).toMatchObject({ ipcChannel: true, thread: 'main' });
    expect(report.selections.module?.name).toBe('worker');
    expect(child.exitCode).toBe(0);
  });

  it('sees that it runs in a worker thread', async () => {
    const worker = new Worker(printSelection);
    const [report, exitCode] = await Promise.all([
      new Promise<Report>((resolve, reject) => {
        worker.once('message', (message) => resolve(message as Report));
        worker.once('error', reject);
      }),
      new Promise<number>((resolve) => worker.once('exit', resolve)),
    ]);
    expect(report.context).toMatchObject({ thread: 'worker', ipcChannel: false });
    expect(report.selections.inline?.name).toBe('worker');
    expect(exitCode).toBe(0);
  });

  it('loads and selects in a browser-like global scope without process', async () => {
    const report = JSON.parse(await runNode([loadWithoutProcess])) as {
      processSeen: string;
      context: Record<string, unknown>;
      selection: { name: string; rule: string };
      warnings: string[];
    };
    expect(report.processSeen).toBe('undefined');
    expect(report.context).toMatchObject({
      runtime: 'browser',
      platform: 'unknown',
      workerThreadsAvailable: false,
      childProcessAvailable: false,
      workersAllowed: false,
      childProcessesAllowed: false,
    });
    expect(report.selection).toEqual({ name: 'thread', rule: 'soft-fallback' });
    expect(report.warnings[0]).toContain('the browser runtime has no worker_threads module');
  });

  it('has no static import of a node: module in its build', () => {
    for (const file of ['../dist/index.js', '../dist/index.cjs']) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(source).not.toMatch(/(from|import\(|require\()\s*["']node:/);
      expect(source).not.toMatch(/require\(["'](worker_threads|child_process|os)["']\)/);
    }
  });

  afterAll(async () => {
    expect(childPids.filter(isAlive)).toEqual([]);
    // An exited child's handle is released a little after its 'close' event.
    expect(await childHandlesReleased(5_000)).toEqual([]);
  });
});
