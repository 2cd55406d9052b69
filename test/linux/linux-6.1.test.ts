/**
 * Linux 6.1 from Debian, end to end, compared with the kernel's own conf.
 * .ci/run fetches the tree and builds conf (KCONFSAT_LINUX_61, KCONFSAT_CONF_61);
 * elsewhere these tests are skipped.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/analysis/check.js';
import { query } from '../../src/analysis/query.js';
import { configValues, Session } from '../../src/analysis/session.js';
import { parseDotConfig, writeDotConfig, type DotConfig } from '../../src/io/dotconfig.js';
import { listArchitectures } from '../../src/model/arch.js';
import { loadKconfig } from '../../src/model/load.js';
import { DiskSourceFiles } from '../../src/parse/files.js';
import { WARM_QUERIES } from '../../scripts/bench-stages.js';
import { scratchDir } from '../helpers/scratch.js';
import { confRandconfigs, confReference, olddefconfigChanges, type ConfReference } from '../helpers/conf.js';
import { requireEnv } from '../helpers/requires.js';

const tmp = scratchDir('linux-6.1');
const tree = requireEnv('KCONFSAT_LINUX_61', 'Linux 6.1 tests');
/**
 * Lets vitest's worker answer its runner between long synchronous steps: a
 * worker silent for a minute is reported as an error even when tests pass.
 */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const MAIN = path.resolve(__dirname, '../../dist/src/cli/main.js');
/** The built CLI in a child process (long runs must not block vitest's worker); its stdout. */
async function cli(args: string[]): Promise<string> {
  const result = await promisify(execFile)(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 28 }).catch(
    (e: { stdout: string; code: number }) => e,
  );
  return result.stdout;
}
const conf = requireEnv('KCONFSAT_CONF_61', 'Linux 6.1 tests against conf');

describe.skipIf(!tree)('Linux 6.1 front end', () => {
  it('parses and resolves every architecture without errors', async () => {
    const arches = listArchitectures(new DiskSourceFiles(tree!));
    expect(arches).toEqual(expect.arrayContaining(['x86_64', 'i386', 'arm64', 'riscv', 'powerpc', 's390', 'mips', 'um']));
    for (const arch of arches) {
      await breathe();
      const { model } = loadKconfig({ tree: tree!, arch });
      const defined = model.symbols.filter((s) => s.definitions.length > 0 && !s.ownChoice);
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
    // Among its dependencies (the enclosing menu's `depends on XEN` too), the one the argument goes through.
    const depends = answer.explanation!.facts.find((f) => f.symbol === 'XEN_UNPOPULATED_ALLOC' && f.text === 'depends on ZONE_DEVICE');
    expect(depends).toMatchObject({ role: 'depends on', loc: { file: 'drivers/xen/Kconfig' } });
    expect(answer.explanation!.chain[0]!.facts.map((f) => f.text)).toEqual(['depends on ZONE_DEVICE']);
  });

  it('x86_64: a default-mode witness describes a toolchain that exists: one compiler, linker and assembler, their versions', () => {
    const answer = query(Session.open({ tree: tree!, arch: 'x86_64' }), ['XEN_UNPOPULATED_ALLOC=y']);
    const value = new Map(answer.witness!.config.map((e) => [e.name, e.value]));
    const toolchain = ['CC_VERSION_TEXT', 'CC_IS_GCC', 'CC_IS_CLANG', 'GCC_VERSION', 'CLANG_VERSION', 'LD_IS_BFD', 'LD_IS_LLD', 'LD_VERSION', 'LLD_VERSION', 'AS_IS_GNU', 'AS_IS_LLVM', 'AS_VERSION', 'RUST_IS_AVAILABLE', 'PAHOLE_VERSION'];
    // A bool at n is not in the witness (conf writes it as 'is not set').
    expect(Object.fromEntries(toolchain.map((n) => [n, value.get(n) ?? 'n']))).toEqual({
      CC_VERSION_TEXT: 'gcc (Debian 12.2.0-14) 12.2.0',
      CC_IS_GCC: 'y',
      CC_IS_CLANG: 'n',
      GCC_VERSION: '120200',
      CLANG_VERSION: '0',
      LD_IS_BFD: 'y',
      LD_IS_LLD: 'n',
      LD_VERSION: '24000',
      LLD_VERSION: '0',
      AS_IS_GNU: 'y',
      AS_IS_LLVM: 'n',
      AS_VERSION: '24000',
      RUST_IS_AVAILABLE: 'n',
      PAHOLE_VERSION: '0',
    });
  });
});

describe.skipIf(!tree)('Linux 6.1 explanations a person can act on (CLI)', () => {
  it('i386: the seed "no" in at most 6 lines, through ZONE_DEVICE and the arch, macros expanded', async () => {
    const lines = (await cli(['--tree', tree!, '--arch', 'i386', 'query', 'XEN_UNPOPULATED_ALLOC=y'])).trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(6);
    const text = lines.join('\n');
    for (const name of ['ZONE_DEVICE', 'ARCH_HAS_PTE_DEVMAP', '64BIT']) expect(text).toContain(name);
    expect(text).not.toContain('$(');
  });

  it('x86_64: NR_CPUS=100000 names the range line that rules it out', async () => {
    const stdout = await cli(['--tree', tree!, '--arch', 'x86_64', 'query', 'NR_CPUS=100000']);
    expect(stdout).toMatch(/because NR_CPUS: range NR_CPUS_RANGE_BEGIN NR_CPUS_RANGE_END \(arch\/x86\/Kconfig:\d+\)/);
  });
});

describe.skipIf(!tree)('Linux 6.1 seed query on every arch (CLI)', () => {
  it('query --arch all answers one line per arch: no on i386, yes on x86_64', async () => {
    const stdout = await cli(['--tree', tree!, '--arch', 'all', 'query', 'XEN_UNPOPULATED_ALLOC=y']);
    const lines = stdout.split('\n').filter((l) => l.startsWith('XEN_UNPOPULATED_ALLOC=y on '));
    const arches = listArchitectures(new DiskSourceFiles(tree!));
    expect(lines.map((l) => /on (\S+):/.exec(l)?.[1])).toEqual(arches);
    expect(lines).toContain('XEN_UNPOPULATED_ALLOC=y on i386: no');
    expect(lines).toContain('XEN_UNPOPULATED_ALLOC=y on x86_64: yes');
  });
});

describe.skipIf(!tree || !conf)('Linux 6.1 against conf', () => {
  const refs = new Map<string, ConfReference>();

  const randconfigs = new Map<string, string[]>();
  const sessions = new Map<string, Session>();
  /** The session with the host toolchain, as conf sees it. */
  const hostSession = (arch: string): Session => {
    if (!sessions.has(arch)) sessions.set(arch, Session.open({ tree: tree!, arch, env: refs.get(arch)!.env, runShell: true }));
    return sessions.get(arch)!;
  };
  beforeAll(async () => {
    for (const arch of ['x86_64', 'i386']) {
      refs.set(arch, await confReference(tree!, arch, conf!));
      randconfigs.set(arch, await confRandconfigs(tree!, arch, conf!, 5, 1));
    }
  });
  const read = (file: string): DotConfig => parseDotConfig(fs.readFileSync(file, 'utf8'), file);
  /** CLI arguments for the host toolchain and conf's environment, as hostSession has them. */
  const hostArgs = (arch: string, ...command: string[]): string[] => [
    '--json',
    '--tree',
    tree!,
    '--arch',
    arch,
    '--run-shell',
    ...Object.entries(refs.get(arch)!.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...command,
  ];

  for (const arch of ['x86_64', 'i386']) {
    it(`${arch}: check accepts every config conf makes (all*, defconfig, randconfig)`, async () => {
      const ref = refs.get(arch)!;
      const files = [...(['allno', 'allyes', 'allmod', 'def'] as const).map((n) => ref.config(n)), ...randconfigs.get(arch)!];
      for (const file of files) {
        await breathe();
        const result = checkConfig(hostSession(arch), read(file));
        expect(result.violations.map((v) => v.symbol), `${arch} ${path.basename(file)}`).toEqual([]);
        expect(result.valid).toBe(true);
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

  it('x86_64: check names a value flipped against its dependencies, with the broken line and conf\'s value', () => {
    const text = fs.readFileSync(refs.get('x86_64')!.config('allno'), 'utf8') + 'CONFIG_ZONE_DEVICE=y\n';
    const result = checkConfig(hostSession('x86_64'), parseDotConfig(text, 'flipped.config'));
    expect(result.violations.map((v) => [v.kind, v.symbol, v.value, v.expected])).toEqual([['dropped', 'ZONE_DEVICE', 'y', undefined]]);
    expect(result.violations[0]!.facts).toContainEqual(
      expect.objectContaining({ role: 'depends on', text: 'depends on MEMORY_HOTPLUG', loc: expect.objectContaining({ file: 'mm/Kconfig' }) }),
    );
  });

  it('x86_64: dead symbols are never set by allyesconfig nor kept when a config asks for them (10 spot checks)', async () => {
    const report = JSON.parse(await cli(hostArgs('x86_64', 'dead'))) as { dead: { symbol: string }[] };
    expect(report.dead.length).toBeGreaterThan(1000);
    const allyes = new Map(read(refs.get('x86_64')!.config('allyes')).entries.map((e) => [e.name, e.value]));
    const step = Math.floor(report.dead.length / 10);
    const picks = Array.from({ length: 10 }, (_, i) => report.dead[i * step]!.symbol);
    for (const name of picks) expect(['y', 'm'], name).not.toContain(allyes.get(name));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-dead-'));
    const file = path.join(dir, 'asks.config');
    fs.writeFileSync(file, fs.readFileSync(refs.get('x86_64')!.config('allyes'), 'utf8') + picks.map((n) => `CONFIG_${n}=y\n`).join(''));
    const changed = olddefconfigChanges(tree!, 'x86_64', conf!, file).map((line) => line.split(':')[0]);
    for (const name of picks) expect(changed, name).toContain(`CONFIG_${name}`);
  }, 600_000); // a minute alone; several on a 2-core machine shared with other runs

  it('x86_64: samples pass olddefconfig unchanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-sample-'));
    await cli(hostArgs('x86_64', 'sample', '-n', '3', '--seed', '11', '--out-dir', dir));
    for (const k of [1, 2, 3]) {
      await breathe();
      const file = path.join(dir, `config-${k}`);
      expect(olddefconfigChanges(tree!, 'x86_64', conf!, file), file).toEqual([]);
    }
  });

  it('x86_64: the witness for XEN_UNPOPULATED_ALLOC=y passes olddefconfig unchanged', () => {
    const session = hostSession('x86_64');
    const answer = query(session, ['XEN_UNPOPULATED_ALLOC=y']);
    expect(answer.satisfiable).toBe(true);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-witness-')), 'witness.config');
    fs.writeFileSync(file, writeDotConfig(answer.witness!.config));
    expect(fs.readFileSync(file, 'utf8')).toContain('CONFIG_XEN_UNPOPULATED_ALLOC=y\n');
    expect(olddefconfigChanges(tree!, 'x86_64', conf!, file)).toEqual([]);
  });

  it('x86_64: without --run-shell, --toolchain from conf\'s defconfig makes witnesses conf with that toolchain keeps whole', async () => {
    const toolchain = path.join(tmp(), 'toolchain');
    fs.mkdirSync(toolchain);
    for (const [i, question] of ['XEN_UNPOPULATED_ALLOC=y', 'SMP=n'].entries()) {
      const out = path.join(toolchain, `witness-${i}.config`);
      await cli(['--tree', tree!, '--arch', 'x86_64', 'query', '--toolchain', refs.get('x86_64')!.config('def'), '--out', out, question]);
      expect(olddefconfigChanges(tree!, 'x86_64', conf!, out), question).toEqual([]);
    }
  }, 600_000);

  it('x86_64: every yes-witness of the bench\'s query set, with --toolchain from conf\'s defconfig, passes the host\'s olddefconfig unchanged', async () => {
    // The default mode (no --run-shell): the probes are free inputs, held by --toolchain at what the host's conf wrote.
    const session = Session.open({ tree: tree!, arch: 'x86_64' });
    const toolchain = configValues(read(refs.get('x86_64')!.config('def')));
    const dir = path.join(tmp(), 'bench-witnesses');
    fs.mkdirSync(dir);
    const yes: string[] = [];
    for (const [i, question] of WARM_QUERIES.entries()) {
      await breathe();
      const answer = query(session, [question], { toolchain, explain: false });
      if (!answer.satisfiable) continue;
      yes.push(question);
      const file = path.join(dir, `witness-${i}.config`);
      fs.writeFileSync(file, writeDotConfig(answer.witness!.config));
      expect(olddefconfigChanges(tree!, 'x86_64', conf!, file), question).toEqual([]);
    }
    // The no-answers (ZONE_DEVICE without MEMORY_HOTPLUG, KVM without VIRTUALIZATION, DRM_I915 without PCI) have no witness.
    expect(yes).toHaveLength(7);
  }, 600_000);

  it('x86_64: a string and a number the tree never mentions: the witness holds them and conf keeps it', () => {
    const answer = query(hostSession('x86_64'), ['LOCALVERSION="-kconfsat"', 'NR_CPUS=100']);
    expect(answer.satisfiable).toBe(true);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kconfsat-witness-')), 'witness.config');
    fs.writeFileSync(file, writeDotConfig(answer.witness!.config));
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^CONFIG_LOCALVERSION="-kconfsat"\n[^]*^CONFIG_NR_CPUS=100\n/m);
    expect(olddefconfigChanges(tree!, 'x86_64', conf!, file)).toEqual([]);
  });
});
