/**
 * After every test, one turn of the event loop: awaiting between synchronous
 * tests only drains microtasks, so a file of them can keep vitest's worker
 * from reading its runner's replies for over a minute, and the runner then
 * fails a green run with "Timeout calling onTaskUpdate" on a loaded machine.
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
