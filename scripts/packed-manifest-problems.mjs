// What keeps a packed package.json from installing in a user's app.

/**
 * Checks a packed package.json: every dependency on another workspace package names a
 * range a user can install (the version it was packed at), never `workspace:`.
 * @param {{ name: string, dependencies?: object, peerDependencies?: object, optionalDependencies?: object }} packed
 *   the package.json inside the tarball
 * @param {Map<string, string>} versions the version of each workspace package, by name
 * @returns {string[]} what is wrong, one message each
 */
export function packedManifestProblems(packed, versions) {
  const problems = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(packed[field] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        problems.push(`${packed.name}: ${field}.${name} is '${range}'`);
      } else if (versions.has(name) && range !== `^${versions.get(name)}`) {
        problems.push(
          `${packed.name}: ${field}.${name} is '${range}', not '^${versions.get(name)}'`,
        );
      }
    }
  }
  return problems;
}
