/**
 * The lowest priority in `[min, max]` not in `used`, or undefined when the range is full.
 * Lowest-first keeps a preview's rules in the order its services are listed, which decides
 * which rule wins when path patterns overlap.
 */
export function pickFreePriority(used: ReadonlySet<number>, range: { min: number; max: number }): number | undefined {
  for (let priority = range.min; priority <= range.max; priority++) if (!used.has(priority)) return priority;
  return undefined;
}
