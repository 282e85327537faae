// A task that starts another program and waits for it: the kind of task that leaves
// orphans behind when only the task itself is killed. It records its own pid and the
// program's pid so that the host can check that both are gone.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export default async function spawnChildProgram(pidFile) {
  const program = spawn('sleep', ['600'], { stdio: 'ignore' });
  writeFileSync(pidFile, JSON.stringify({ task: process.pid, program: program.pid }));
  await new Promise((resolve) => program.on('exit', resolve));
  return 'the program finished';
}
