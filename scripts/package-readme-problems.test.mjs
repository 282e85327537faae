// The checks of a package README and package.json, on fabricated ones: each problem a
// reader on npm would meet must be reported, and a README without one must pass.
import { describe, expect, it } from 'vitest';
import { manifestProblems, readmeProblems, repository } from './package-readme-problems.mjs';

const fence = '```';
const goodReadme = `# @timebox/example

See [the core](${repository}/tree/main/packages/core) and [below](#install).

## Install

${fence}sh
npm install @timebox/core @timebox/example
${fence}

${fence}js
import { run } from '@timebox/example';

console.log(await run());
${fence}
`;

describe('readmeProblems', () => {
  it('passes a README with absolute links, an install line and an example', () => {
    expect(readmeProblems('@timebox/example', goodReadme)).toEqual([]);
  });

  it('reports a relative link, with its line', () => {
    const readme = goodReadme.replace(`(${repository}/tree/main/packages/core)`, '(../core)');
    expect(readmeProblems('@timebox/example', readme)).toEqual([
      `line 3: relative link '../core' does not work on npm; use ${repository}/tree/main/…`,
    ]);
  });

  it('reports a relative image and an HTML link', () => {
    const readme = `${goodReadme}\n![chart](bench/chart.svg)\n<a href="docs/guide.md">guide</a>\n`;
    const problems = readmeProblems('@timebox/example', readme);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("'bench/chart.svg'");
    expect(problems[1]).toContain("'docs/guide.md'");
  });

  it('does not read links inside code blocks', () => {
    const readme = `${goodReadme}\n${fence}js\nconst link = '[x](../y)';\n${fence}\n`;
    expect(readmeProblems('@timebox/example', readme)).toEqual([]);
  });

  it('reports a README without an install line naming the package', () => {
    const readme = goodReadme.replace(
      'npm install @timebox/core @timebox/example',
      'npm install @timebox/core',
    );
    expect(readmeProblems('@timebox/example', readme)).toEqual([
      'no install line (`npm install @timebox/example` in a sh block)',
    ]);
  });

  it('reports a README whose examples never import the package', () => {
    const readme = goodReadme.replace("from '@timebox/example'", "from './local.js'");
    expect(readmeProblems('@timebox/example', readme)).toEqual([
      "no complete example: no js or ts block imports from '@timebox/example'",
    ]);
  });

  it('accepts a README that says why it has no example', () => {
    const readme = `${goodReadme.replace("from '@timebox/example'", "from './local.js'")}\n<!-- readme-check: no example (no API yet) -->\n`;
    expect(readmeProblems('@timebox/example', readme)).toEqual([]);
  });

  it('reports contributor commands in sh blocks and in inline code', () => {
    const readme = `${goodReadme}\nBuild it with \`pnpm build\`.\n\n${fence}sh\nnode bench/suites/worker.mjs\nnpx turbo run test\n${fence}\n`;
    const problems = readmeProblems('@timebox/example', readme);
    expect(problems).toEqual([
      expect.stringContaining('contributor command `pnpm build`'),
      expect.stringContaining("contributor command 'node bench/suites/worker.mjs'"),
      expect.stringContaining("contributor command 'npx turbo run test'"),
    ]);
  });
});

describe('manifestProblems', () => {
  const goodManifest = {
    name: '@timebox/example',
    description: 'An example.',
    repository: {
      type: 'git',
      url: `git+${repository}.git`,
      directory: 'packages/example',
    },
    homepage: `${repository}/tree/main/packages/example#readme`,
    bugs: { url: `${repository}/issues` },
  };

  it('passes a package.json that points back to the repository', () => {
    expect(manifestProblems('example', goodManifest)).toEqual([]);
  });

  it('reports each missing or wrong pointer', () => {
    const { homepage, bugs, ...rest } = goodManifest;
    const problems = manifestProblems('example', {
      ...rest,
      description: '',
      repository: { ...goodManifest.repository, directory: 'packages/other' },
    });
    expect(problems).toEqual([
      "repository.directory must be 'packages/example'",
      `homepage must be '${homepage}'`,
      `bugs.url must be '${bugs.url}'`,
      'no description',
    ]);
  });
});
