// Reads the fenced code blocks of a Markdown text, for the README checks.

/**
 * The fenced code blocks of a Markdown text, in order.
 * @param {string} markdown the text
 * @returns {{ info: string, firstLine: number, lines: string[] }[]} each block's info string
 *   (what follows the opening fence, such as `ts` or `sh`), the 1-based line number of its
 *   first code line, and its code lines
 */
export function codeBlocks(markdown) {
  const blocks = [];
  let open;
  for (const [index, line] of markdown.split('\n').entries()) {
    const fence = /^\s*```(.*)$/.exec(line);
    if (open === undefined) {
      if (fence) open = { info: fence[1].trim(), firstLine: index + 2, lines: [] };
    } else if (fence && fence[1].trim() === '') {
      blocks.push(open);
      open = undefined;
    } else {
      open.lines.push(line);
    }
  }
  return blocks;
}
