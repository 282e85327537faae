// Renders a strategy's stats() as one line, whatever fields it has: a count as
// `name value`, a group of percentiles as `name {p50 1.2 p90 3.4} ms`.
export function statsLine(stats) {
  return Object.entries(stats)
    .map(([name, value]) => {
      if (typeof value !== 'object' || value === null) return `${name} ${value}`;
      const percentiles = Object.entries(value)
        .map(([key, number]) => `${key} ${typeof number === 'number' ? number.toFixed(1) : number}`)
        .join(' ');
      return `${name} {${percentiles}} ms`;
    })
    .join(', ');
}
