/**
 * The test settings every package shares: tests beside the code, and a JSON report in
 * `test-results.json` that `.ci/run` sums into its `N passed, N failed` line. A package
 * adds what it needs on top.
 */
export const packageTests = {
  include: ['src/**/*.test.ts'],
  reporters: ['default', 'json'],
  outputFile: { json: './test-results.json' },
  testTimeout: 20_000,
};
