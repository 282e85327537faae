// The check of a packed package.json: internal ranges must be ones a user can install.
import { describe, expect, it } from 'vitest';
import { packedManifestProblems } from './packed-manifest-problems.mjs';

const versions = new Map([
  ['@timebox/core', '0.1.0'],
  ['@timebox/worker', '0.1.2'],
]);

describe('packedManifestProblems', () => {
  it('passes real ranges of the packed versions, and leaves other packages alone', () => {
    const packed = {
      name: '@timebox/worker',
      dependencies: { '@timebox/core': '^0.1.0', workerpool: '10.0.3' },
    };
    expect(packedManifestProblems(packed, versions)).toEqual([]);
  });

  it('reports a workspace: range left in any dependency field', () => {
    const packed = {
      name: 'timebox',
      dependencies: { '@timebox/core': 'workspace:^' },
      peerDependencies: { '@timebox/worker': 'workspace:*' },
    };
    expect(packedManifestProblems(packed, versions)).toEqual([
      "timebox: dependencies.@timebox/core is 'workspace:^'",
      "timebox: peerDependencies.@timebox/worker is 'workspace:*'",
    ]);
  });

  it('reports an internal range that does not follow the packed version', () => {
    const packed = { name: 'timebox', dependencies: { '@timebox/worker': '^0.0.0' } };
    expect(packedManifestProblems(packed, versions)).toEqual([
      "timebox: dependencies.@timebox/worker is '^0.0.0', not '^0.1.2'",
    ]);
  });
});
