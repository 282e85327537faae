// README examples that name their file, and the output their comments promise.
import { describe, expect, it } from 'vitest';
import { codeBlocks } from './markdown-code-blocks.mjs';
import { namedExamples, promisedOutput } from './named-examples.mjs';

const fence = '```';

describe('codeBlocks', () => {
  it('reads each fenced block with its info string and the line of its first code line', () => {
    const markdown = `# title\n\n${fence}ts ignore-check: a reason\nconst a = 1;\n${fence}\n\ntext\n${fence}sh\nnpm install x\n${fence}\n`;
    expect(codeBlocks(markdown)).toEqual([
      { info: 'ts ignore-check: a reason', firstLine: 4, lines: ['const a = 1;'] },
      { info: 'sh', firstLine: 9, lines: ['npm install x'] },
    ]);
  });
});

describe('namedExamples', () => {
  it('keeps the blocks whose first line names a file, by that name', () => {
    const markdown = `${fence}js\n// tasks.mjs: the tasks\nexport const a = 1;\n${fence}\n${fence}js\nconst unnamed = 1;\n${fence}\n${fence}ts\n// example.ts\nconsole.log(1);\n${fence}\n`;
    const examples = namedExamples(markdown);
    expect([...examples.keys()]).toEqual(['tasks.mjs', 'example.ts']);
    expect(examples.get('example.ts')).toBe('// example.ts\nconsole.log(1);\n');
  });
});

describe('promisedOutput', () => {
  it('reads the value after each console.log line, not comments on lines of their own', () => {
    const source = [
      'console.log(await runTaskWithTimeout(task, [25], { strategy })); // 75025',
      'console.log(square); // 49',
      'console.log(error.message);',
      "  // Task 'x' timed out",
      '  .then((result) => console.log(result)) // 42',
    ].join('\n');
    expect(promisedOutput(source)).toEqual(['75025', '49', '42']);
  });
});
