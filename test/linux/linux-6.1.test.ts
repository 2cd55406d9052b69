/**
 * Linux 6.1 from Debian, end to end, compared with the kernel's own conf.
 * .ci/run fetches the tree and builds conf (KCONFSAT_LINUX_61, KCONFSAT_CONF_61);
 * elsewhere these tests are skipped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/analysis/query.js';
import { configValues, Session } from '../../src/analysis/session.js';
import { parseDotConfig, writeDotConfig } from '../../src/io/dotconfig.js';
import { listArchitectures } from '../../src/model/arch.js';
import { loadKconfig } from '../../src/model/load.js';
import { DiskSourceFiles } from '../../src/parse/files.js';
import { confReference, olddefconfigChanges, type ConfReference } from '../helpers/conf.js';

const tree = process.env.KCONFSAT_LINUX_61;
const conf = process.env.KCONFSAT_CONF_61;

describe.skipIf(!tree)('Linux 6.1 front end', () => {
  it('parses and resolves every architecture without errors', () => {
    const arches = listArchitectures(new DiskSourceFiles(tree!));
    expect(arches).toEqual(expect.arrayContaining(['x86_64', 'i386', 'arm64', 'riscv', 'powerpc', 's390', 'mips', 'um']));
    for (const arch of arches) {
      const { model } = loadKconfig({ tree: tree!, arch });
      const defined = model.symbols.filter((s) => s.definitions.length > 0 && !s.choiceInfo);
      expect(defined.length, arch).toBeGreaterThan(15000);
    }
  });
});

describe.skipIf(!tree)('Linux 6.1 seed query', () => {
  it('i386: XEN_UNPOPULATED_ALLOC=y is impossible, with a minimal reason through ZONE_DEVICE', () => {
    const answer = query(Session.open({ tree: tree!, arch: 'i386' }), ['XEN_UNPOPULATED_ALLOC=y']);
    expect(answer.satisfiable).toBe(false);
    const symbols = answer.explanation!.symbols;
    expect(symbols.slice(0, 2)).toEqual(['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE']);
    expect(symbols).toContain('64BIT');
    const depends = answer.explanation!.facts.find((f) => f.symbol === 'XEN_UNPOPULATED_ALLOC' && f.role === 'depends on');
    expect(depends).toMatchObject({ text: 'depends on ZONE_DEVICE', loc: { file: 'drivers/xen/Kconfig' } });
  });
});

describe.skipIf(!tree || !conf)('Linux 6.1 against conf', () => {
  const refs = new Map<string, ConfReference>();
  beforeAll(async () => {
    for (const arch of ['x86_64', 'i386']) refs.set(arch, await confReference(tree!, arch, conf!));
  });

  for (const arch of ['x86_64', 'i386']) {
    it(`${arch}: every config conf makes satisfies the formula (host toolchain)`, () => {
      const ref = refs.get(arch)!;
      const session = Session.open({ tree: tree!, arch, env: ref.env, runShell: true });
      for (const name of ['allno', 'allyes', 'allmod', 'def'] as const) {
        const file = ref.config(name);
        const values = configValues(parseDotConfig(fs.readFileSync(file, 'utf8'), file));
        expect(session.violatedSymbols(values).map((s) => s.name), `${arch} ${name}`).toEqual([]);
      }
    });

    it(`${arch}: allyesconfig names only symbols kconfsat knows`, () => {
      const ref = refs.get(arch)!;
      const { model } = loadKconfig({ tree: tree!, arch });
      const file = ref.config('allyes');
      const names = parseDotConfig(fs.readFileSync(file, 'utf8'), file).entries.map((e) => e.name);
      expect(names.length).toBeGreaterThan(10000);
      expect(names.filter((n) => !(model.byName.get(n)?.definitions.length))).toEqual([]);
    });
  }

  it('x86_64: the witness for XEN_UNPOPULATED_ALLOC=y passes olddefconfig unchanged', () => {
    const ref = refs.get('x86_64')!;
    const session = Session.open({ tree: tree!, arch: 'x86_64', env: ref.env, runShell: true });
    const answer = query(session, ['XEN_UNPOPULATED_ALLOC=y']);
    expect(answer.satisfiable).toBe(true);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-witness-')), 'witness.config');
    fs.writeFileSync(file, writeDotConfig(answer.witness!.config));
    expect(fs.readFileSync(file, 'utf8')).toContain('CONFIG_XEN_UNPOPULATED_ALLOC=y\n');
    expect(olddefconfigChanges(tree!, 'x86_64', conf!, file)).toEqual([]);
  });
});
