import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MarkerBoard } from './marker-board.js';

/** A marker board of files in a fresh temporary folder, removed by `close()` (Node). */
export function fileMarkerBoard(): MarkerBoard {
  const folder = mkdtempSync(join(tmpdir(), 'timebox-conformance-'));
  return {
    target: (name) => join(folder, name),
    read: (target) => (existsSync(target) ? readFileSync(target, 'utf8') : undefined),
    close: () => rmSync(folder, { recursive: true, force: true }),
  };
}
