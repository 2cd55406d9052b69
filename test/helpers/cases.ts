/**
 * Table-driven tests: one vitest test per title, each row an input and what
 * the function under test must make of it, compared exactly (the input names
 * the failing row).
 */
import { expect, it } from 'vitest';

export function cases<T, R>(f: (input: T) => R, tests: Record<string, [input: T, expected: R][]>): void {
  for (const [title, rows] of Object.entries(tests)) {
    it(title, () => {
      for (const [input, expected] of rows) expect(f(input), JSON.stringify(input)).toEqual(expected);
    });
  }
}
