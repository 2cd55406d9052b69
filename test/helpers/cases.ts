/**
 * Table-driven tests: each row a test's title, an input, and what the
 * function under test must make of it, compared exactly. Rows with the same
 * title make one vitest test (the input names the failing row).
 */
import { expect, it } from 'vitest';

export function cases<T, R>(f: (input: T) => R, rows: [title: string, input: T, expected: R][]): void {
  const byTitle = new Map<string, [T, R][]>();
  for (const [title, input, expected] of rows) byTitle.set(title, [...(byTitle.get(title) ?? []), [input, expected]]);
  for (const [title, checks] of byTitle) {
    it(title, () => {
      for (const [input, expected] of checks) expect(f(input), JSON.stringify(input)).toEqual(expected);
    });
  }
}
