// README examples that name their file, and what they promise to print.
import { codeBlocks } from './markdown-code-blocks.mjs';

/**
 * The blocks of a Markdown text that name their file on their first line
 * (`// example.mjs`), as source text by file name.
 * @param {string} markdown the text
 * @returns {Map<string, string>}
 */
export function namedExamples(markdown) {
  const examples = new Map();
  for (const block of codeBlocks(markdown)) {
    const name = /^\/\/ ([\w-]+\.(?:mjs|cjs|js|ts))\b/.exec(block.lines[0] ?? '')?.[1];
    if (name) examples.set(name, `${block.lines.join('\n')}\n`);
  }
  return examples;
}

/**
 * The values an example promises to print, from its `console.log(…); // value` lines.
 * @param {string} source the example's source text
 * @returns {string[]}
 */
export function promisedOutput(source) {
  return [...source.matchAll(/console\.log\(.*\)\)?;?[ \t]*\/\/ (.+)$/gm)].map((match) =>
    match[1].trim(),
  );
}
