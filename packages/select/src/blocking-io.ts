/**
 * The tag a task carries to declare that it may block in system calls or wait on slow file
 * systems (a dead NFS or FUSE mount, a FIFO, `execSync`, a synchronous native call). A worker
 * thread is the wrong place for it: a thread blocked in a system call cannot be terminated,
 * and worker threads share the host's libuv threadpool (4 threads by default), so a few such
 * tasks starve the host's own file system, `dns.lookup` and `crypto` calls. The default rules
 * run a task with this tag under the process strategy, whose kill reaches a process however
 * it is blocked.
 *
 * @example
 * ```ts
 * import { defineTask } from '@timebox/core';
 * import { blockingIoTag } from '@timebox/select';
 *
 * const scan = defineTask({
 *   name: 'scan-share',
 *   timeout: 30_000,
 *   tags: [blockingIoTag],
 *   run: { module: new URL('./scan-share.js', import.meta.url), export: 'scan' },
 * });
 * ```
 */
export const blockingIoTag = 'blocking-io';

/** Whether `task` carries {@link blockingIoTag}. */
export function mayBlockInIo(task: { readonly tags: readonly string[] }): boolean {
  return task.tags.includes(blockingIoTag);
}
