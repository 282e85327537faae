// A program that ignores SIGTERM: only SIGKILL ends it. Writes its pid to argv[2] once its
// handler is installed, then waits forever.
import { renameSync, writeFileSync } from 'node:fs';

process.on('SIGTERM', () => {});
const pidFile = process.argv[2];
writeFileSync(`${pidFile}.partial`, String(process.pid));
renameSync(`${pidFile}.partial`, pidFile);
setInterval(() => {}, 1_000);
