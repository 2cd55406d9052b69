/**
 * The time of each stage of a query: the library reports the stages of an
 * answer through onStage, in order, and `query --verbose` prints them with the
 * session's load stages on one stderr line per arch, leaving stdout as it was.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { query, type QueryStage } from '../../src/analysis/query.js';
import { Session } from '../../src/analysis/session.js';
import { ensureBuilt, REPO, run } from './run.js';

const example = (variant: string): string => path.join(REPO, 'corpora/examples/xen-zone-device', variant);

describe('query stages in the library', () => {
  const stagesOf = (variant: string, arch: string, options: { explain?: boolean } = {}): QueryStage[] => {
    const stages: [QueryStage, number][] = [];
    query(Session.open({ tree: example(variant), arch }), ['XEN_UNPOPULATED_ALLOC=y'], { ...options, onStage: (stage, ms) => stages.push([stage, ms]) });
    for (const [, ms] of stages) expect(ms).toBeGreaterThanOrEqual(0);
    return stages.map(([stage]) => stage);
  };

  it('a yes: encode, solve, witness', () => {
    expect(stagesOf('buggy', 'i386')).toEqual(['encode', 'solve', 'witness']);
  });

  it('a no: encode, solve, explanation, or no explanation stage when none is asked for', () => {
    expect(stagesOf('fixed', 'i386')).toEqual(['encode', 'solve', 'explanation']);
    expect(stagesOf('fixed', 'i386', { explain: false })).toEqual(['encode', 'solve']);
  });

  it('the stages take the time of the answer', () => {
    let sum = 0;
    const session = Session.open({ tree: example('fixed'), arch: 'i386' });
    const t0 = performance.now();
    query(session, ['XEN_UNPOPULATED_ALLOC=y'], { onStage: (_, ms) => (sum += ms) });
    const total = performance.now() - t0;
    expect(sum).toBeLessThanOrEqual(total);
    expect(sum).toBeGreaterThan(total * 0.5);
  });
});

describe('query --verbose', () => {
  beforeAll(ensureBuilt);
  const STAGE = (name: string): string => `${name} \\d+(\\.\\d)? ms`;
  const line = (arch: string, last: string): RegExp =>
    new RegExp(`^time on ${arch}: ${['parse', 'resolve', 'encode', 'solver load', 'encode query', 'solve', last].map(STAGE).join(', ')}$`);

  it('prints every stage on stderr, one line per arch, and stdout as without timings', () => {
    const r = run('--tree', example('fixed'), '--arch', 'all', 'query', 'XEN_UNPOPULATED_ALLOC=y', '--verbose');
    expect(r.status).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(line('i386', 'explanation'));
    expect(lines[1]).toMatch(line('x86', 'witness'));
    expect(lines[2]).toMatch(line('x86_64', 'witness'));
    expect(r.stdout).not.toContain(' ms');
  });

  it('without --verbose, nothing on stderr', () => {
    const r = run('--tree', example('fixed'), '--arch', 'x86_64', 'query', 'XEN_UNPOPULATED_ALLOC=y');
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});
