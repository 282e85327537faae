/**
 * Joins `name: reason` pairs into one clause, naming strategies that share a reason
 * together: `worker and process: the task cannot be sent; thread: …`.
 */
export function groupReasons(
  entries: Iterable<{ readonly name: string; readonly reason: string }>,
): string {
  const namesByReason = new Map<string, string[]>();
  for (const { name, reason } of entries) {
    const sharing = namesByReason.get(reason);
    if (sharing === undefined) namesByReason.set(reason, [name]);
    else if (!sharing.includes(name)) sharing.push(name);
  }
  return [...namesByReason]
    .map(([reason, names]) => `${names.join(' and ')}: ${reason}`)
    .join('; ');
}
