import { KconfsatError } from '../../src/errors.js';

/** The KconfsatError `f` throws; any other outcome fails the test. */
export function kconfsatError(f: () => unknown): KconfsatError {
  try {
    f();
  } catch (e) {
    if (e instanceof KconfsatError) return e;
    throw e;
  }
  throw new Error('expected a KconfsatError');
}

/** The one line a KconfsatError of `f` formats to, or "no error". */
export function formattedError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof KconfsatError) return e.format();
    throw e;
  }
  return 'no error';
}
