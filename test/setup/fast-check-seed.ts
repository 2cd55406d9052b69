/**
 * Property tests draw from one fixed seed, so `npm test` gives the same
 * answer on every run and a failure can be replayed. Set KCONFSAT_FC_SEED to
 * explore other parts of the space (any integer; `random` draws a new seed
 * and fast-check prints it on failure).
 */
import fc from 'fast-check';

const chosen = process.env.KCONFSAT_FC_SEED;
if (chosen !== 'random') fc.configureGlobal({ seed: chosen === undefined ? 20201126 : Number(chosen) });
