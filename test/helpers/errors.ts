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
