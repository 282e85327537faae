// What keeps a package's README and package.json from reading whole on npm, where the
// README is shown on its own, away from the repository.
import { codeBlocks } from './markdown-code-blocks.mjs';

/** The repository every link and every package.json points to. */
export const repository = 'https://github.com/timebox-js/timebox';

/** The Markdown text outside fenced code blocks, line by line (code lines left empty). */
function proseLines(markdown) {
  let inside = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      inside = !inside;
      return '';
    }
    return inside ? '' : line;
  });
}

/**
 * What is wrong with one package's README for a reader on npm, as messages.
 * @param {string} name the package's npm name
 * @param {string} markdown the README's text
 */
export function readmeProblems(name, markdown) {
  const problems = [];
  const blocks = codeBlocks(markdown);
  for (const [index, line] of proseLines(markdown).entries()) {
    for (const match of line.matchAll(/\]\(([^)\s]+)[^)]*\)|(?:href|src)="([^"]+)"/g)) {
      const target = match[1] ?? match[2];
      if (!/^(https:\/\/|http:\/\/|mailto:|#)/.test(target)) {
        problems.push(
          `line ${index + 1}: relative link '${target}' does not work on npm; use ${repository}/tree/main/…`,
        );
      }
    }
    for (const code of line.matchAll(/`([^`]+)`/g)) {
      if (/\b(pnpm|turbo)\b/.test(code[1])) {
        problems.push(`line ${index + 1}: contributor command \`${code[1]}\``);
      }
    }
  }
  for (const block of blocks.filter((candidate) => /^(sh|bash|shell)?$/.test(candidate.info))) {
    for (const [offset, line] of block.lines.entries()) {
      if (/\b(pnpm|turbo)\b|^\s*(node|bash) (bench|scripts|examples|packages)\//.test(line)) {
        problems.push(`line ${block.firstLine + offset}: contributor command '${line.trim()}'`);
      }
    }
  }
  const installs = blocks.some((block) =>
    block.lines.some((line) => {
      const words = line.trim().split(/\s+/);
      return words[0] === 'npm' && words[1] === 'install' && words.includes(name);
    }),
  );
  if (!installs) problems.push(`no install line (\`npm install ${name}\` in a sh block)`);
  const importsItself = blocks.some(
    (block) =>
      /^(js|javascript|ts|typescript)\b/.test(block.info) &&
      block.lines.some(
        (line) => line.includes(`from '${name}'`) || line.includes(`from '${name}/`),
      ),
  );
  if (!importsItself && !/<!-- readme-check: no example \(\S[^)]*\) -->/.test(markdown)) {
    problems.push(`no complete example: no js or ts block imports from '${name}'`);
  }
  return problems;
}

/**
 * What is wrong with one package's package.json for a reader on npm, as messages.
 * @param {string} folder the package's folder under packages/
 * @param {Record<string, unknown>} manifest its package.json
 */
export function manifestProblems(folder, manifest) {
  const problems = [];
  const directory = `packages/${folder}`;
  if (manifest.repository?.url !== `git+${repository}.git`) {
    problems.push(`repository.url must be 'git+${repository}.git'`);
  }
  if (manifest.repository?.directory !== directory) {
    problems.push(`repository.directory must be '${directory}'`);
  }
  if (manifest.homepage !== `${repository}/tree/main/${directory}#readme`) {
    problems.push(`homepage must be '${repository}/tree/main/${directory}#readme'`);
  }
  if (manifest.bugs?.url !== `${repository}/issues`) {
    problems.push(`bugs.url must be '${repository}/issues'`);
  }
  if (typeof manifest.description !== 'string' || manifest.description === '') {
    problems.push('no description');
  }
  return problems;
}
