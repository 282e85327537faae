import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** What `/proc/<pid>/stat` says about a process. */
export interface ProcessStatus {
  /** Whether it still runs (not a zombie or dead). */
  readonly running: boolean;
  /** Its parent's pid. */
  readonly parentId: number;
  /** Its process group's id. */
  readonly groupId: number;
}

/**
 * The pids of the processes in process group `groupId` that still run (zombies do not),
 * read from Linux's `/proc` without blocking the event loop. When one of `candidates` (the
 * members found last time) still runs in the group, it answers from those alone;
 * otherwise it reads every process.
 */
export async function livingGroupMembers(
  groupId: number,
  candidates: readonly number[] = [],
): Promise<number[]> {
  const living = await inGroup(groupId, candidates);
  if (living.length > 0) return living;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  return inGroup(groupId, entries.filter((entry) => /^\d+$/.test(entry)).map(Number));
}

async function inGroup(groupId: number, pids: readonly number[]): Promise<number[]> {
  const statuses = await Promise.all(
    pids.map(async (pid) => {
      try {
        return parseStatus(await readFile(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return undefined;
      }
    }),
  );
  return pids.filter((_pid, index) => {
    const status = statuses[index];
    return status?.running === true && status.groupId === groupId;
  });
}

/** The status of one process from `/proc/<pid>/stat`, or undefined when it is gone. */
export function readProcessStatus(pid: number | string): ProcessStatus | undefined {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseStatus(stat: string): ProcessStatus {
  // "pid (command) state ppid pgrp …": the command may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0] ?? 'X';
  return {
    running: state !== 'Z' && state !== 'X' && state !== 'x',
    parentId: Number(fields[1]),
    groupId: Number(fields[2]),
  };
}
