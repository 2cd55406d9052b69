/**
 * The built command line, run as a user runs it: exit codes, the demo's answers,
 * witnesses written with --out and checked with `check`, JSON output, and
 * one-line errors (exit 2, no stack trace) for every kind of bad input.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostArch } from '../../src/cli/context.js';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, expectOneLineError, MAIN, REPO, run } from './run.js';

const FIXED = 'corpora/examples/xen-zone-device/fixed';
const BUGGY = 'corpora/examples/xen-zone-device/buggy';

beforeAll(ensureBuilt);
const tmp = scratchDir('cli');

/** Runs a command once and hands every later caller the same result. */
function once<T>(f: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: f() }).v;
}

const demo = once(() => run('demo'));

/** The lines of demo's output after the header `from`, up to the header `to`. */
function demoSection(from: string, to: string): string[] {
  const lines = demo().stdout.split('\n');
  return lines.slice(lines.indexOf(from) + 1, lines.indexOf(to));
}

/** A witness .config for XEN_UNPOPULATED_ALLOC=y on x86_64, written by `query --out`. */
const witness = once(() => {
  const out = path.join(tmp(), 'witness-x86_64.config');
  const r = run('query', '--tree', FIXED, '--arch', 'x86_64', '--out', out, 'XEN_UNPOPULATED_ALLOC=y');
  return { r, out };
});

describe('demo', () => {
  it('exits 0 and answers buggy/fixed x i386/x86_64', () => {
    const r = demo();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('['));
    expect(headers).toEqual([
      '[buggy] XEN_UNPOPULATED_ALLOC=y on i386: yes',
      '[buggy] XEN_UNPOPULATED_ALLOC=y on x86_64: yes',
      '[fixed] XEN_UNPOPULATED_ALLOC=y on i386: no',
      '[fixed] XEN_UNPOPULATED_ALLOC=y on x86_64: yes',
    ]);
  });

  it('explains the fixed i386 "no" with depends on ZONE_DEVICE', () => {
    // One line per step, down to the arch: ARCH_HAS_PTE_DEVMAP is only selected if X86_64, which needs 64BIT.
    expect(demoSection('[fixed] XEN_UNPOPULATED_ALLOC=y on i386: no', '[fixed] XEN_UNPOPULATED_ALLOC=y on x86_64: yes')).toEqual([
      '  because XEN_UNPOPULATED_ALLOC: depends on ZONE_DEVICE (drivers/xen/Kconfig:12)',
      '  ← ZONE_DEVICE: depends on ARCH_HAS_PTE_DEVMAP (mm/Kconfig:35); also needs SPARSEMEM_VMEMMAP (mm/Kconfig:34), never possible',
      '  ← ARCH_HAS_PTE_DEVMAP: selected by X86 (select ARCH_HAS_PTE_DEVMAP if X86_64) (arch/x86/Kconfig:21)',
      '  ← X86_64: depends on 64BIT (arch/x86/Kconfig:15)',
      // $(ARCH) expanded, and only the line that can apply on i386 (the prompt is for ARCH=x86).
      '  ← 64BIT: default "i386" != "i386" (arch/x86/Kconfig:5)',
    ]);
  });

  it('shows witnesses for the yes answers, the buggy i386 one with ZONE_DEVICE forced past its dependencies', () => {
    const witness = demoSection('[buggy] XEN_UNPOPULATED_ALLOC=y on i386: yes', '[buggy] XEN_UNPOPULATED_ALLOC=y on x86_64: yes');
    expect(witness[0]).toBe('  witness (values that matter):');
    expect(witness).toContain('    CONFIG_XEN_UNPOPULATED_ALLOC=y');
    expect(witness).toContain('    CONFIG_X86_32=y');
    expect(witness).not.toContain('    CONFIG_64BIT=y');
  });
});

describe('query', () => {
  it('exits 1 for XEN_UNPOPULATED_ALLOC=y on the fixed tree for i386', () => {
    const r = run('query', '--tree', FIXED, '--arch', 'i386', 'XEN_UNPOPULATED_ALLOC=y');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('XEN_UNPOPULATED_ALLOC=y on i386: no');
    expect(r.stdout).toContain('XEN_UNPOPULATED_ALLOC: depends on ZONE_DEVICE');
  });

  it('exits 0 on x86_64 and writes the witness with --out', () => {
    const { r, out } = witness();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('XEN_UNPOPULATED_ALLOC=y on x86_64: yes');
    expect(r.stdout).toContain(`witness written to ${out}`);
    const config = fs.readFileSync(out, 'utf8').split('\n');
    expect(config).toContain('CONFIG_XEN_UNPOPULATED_ALLOC=y');
    // Everything it needs is there too.
    for (const dep of ['CONFIG_ZONE_DEVICE=y', 'CONFIG_XEN=y', 'CONFIG_64BIT=y', 'CONFIG_ARCH_HAS_PTE_DEVMAP=y']) expect(config).toContain(dep);
  });

  it('writes no witness file when the answer is no', () => {
    const out = path.join(tmp(), 'never-written.config');
    const r = run('query', '--tree', FIXED, '--arch', 'i386', '--out', out, 'XEN_UNPOPULATED_ALLOC=y');
    expect(r.status).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('answers yes on the buggy tree for i386 (the select forces ZONE_DEVICE)', () => {
    const r = run('query', '--tree', BUGGY, '--arch', 'i386', 'XEN_UNPOPULATED_ALLOC=y');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('XEN_UNPOPULATED_ALLOC=y on i386: yes');
  });

  it('prints parseable JSON with satisfiable', () => {
    const yes = run('--json', 'query', '--tree', FIXED, '--arch', 'x86_64', 'XEN_UNPOPULATED_ALLOC=y');
    expect(yes.status).toBe(0);
    const parsedYes = JSON.parse(yes.stdout) as { satisfiable: boolean; arch: string; expressions: string[] };
    expect(parsedYes).toMatchObject({ satisfiable: true, arch: 'x86_64', expressions: ['XEN_UNPOPULATED_ALLOC=y'] });

    const no = run('query', '--json', '--tree', FIXED, '--arch', 'i386', 'XEN_UNPOPULATED_ALLOC=y');
    expect(no.status).toBe(1);
    expect(JSON.parse(no.stdout)).toMatchObject({ satisfiable: false, arch: 'i386' });
  });

  it('names an enclosing if block or menu dependency, and a symbol nothing gives a value, as the reason', () => {
    const tree = path.join(tmp(), 'enclosing');
    fs.mkdirSync(tree, { recursive: true });
    const lines = ['config N', '\tbool', '', 'config A', '\tbool "a"', '\tdepends on N', '', 'menu "m"', '\tdepends on A', '', 'config C', '\tbool "c"', '', 'endmenu', '', 'if A', 'config B', '\tbool "b"', 'endif'];
    fs.writeFileSync(path.join(tree, 'Kconfig'), `${lines.join('\n')}\n`);
    const rest = ['  ← A: depends on N (Kconfig:6)', '  ← N: config N, with no prompt or default that can apply (Kconfig:1)', ''];
    const b = run('--tree', tree, 'query', 'B=y');
    expect([b.status, b.stdout.split('\n')]).toEqual([1, ['B=y: no', '  because B: if A (Kconfig:16)', ...rest]]);
    const c = run('--tree', tree, 'query', 'C=y');
    expect([c.status, c.stdout.split('\n')]).toEqual([1, ['C=y: no', '  because C: depends on A (Kconfig:9)', ...rest]]);
  });

  it('takes several expressions as a conjunction', () => {
    const r = run('query', '--tree', FIXED, '--arch', 'x86_64', 'XEN_UNPOPULATED_ALLOC=y', '!ZONE_DEVICE');
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('XEN_UNPOPULATED_ALLOC=y && !ZONE_DEVICE on x86_64: no');
  });
});

describe('check', () => {
  it('exits 0 on a witness written by query', () => {
    const { r: written, out } = witness();
    expect(written.status).toBe(0);
    const r = run('check', '--tree', FIXED, '--arch', 'x86_64', out);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${out} (x86_64): valid (conf keeps every line)\n`);
    expect(r.status).toBe(0);
  });

  it('exits 1 and names XEN_UNPOPULATED_ALLOC when ZONE_DEVICE is switched off under it', () => {
    const { r: written, out } = witness();
    expect(written.status).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('CONFIG_ZONE_DEVICE=y\n');
    const flipped = path.join(tmp(), 'flipped.config');
    fs.writeFileSync(flipped, text.replace('CONFIG_ZONE_DEVICE=y\n', '# CONFIG_ZONE_DEVICE is not set\n'));
    const r = run('check', '--tree', FIXED, '--arch', 'x86_64', flipped);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    // conf's olddefconfig on this file drops exactly one line: XEN_UNPOPULATED_ALLOC, hidden once ZONE_DEVICE is n.
    expect(lines[0]).toBe(`${flipped} (x86_64): invalid: conf would change 0, drop 1, add 0 line(s)`);
    expect(lines[1]).toMatch(/^ {2}\S+flipped\.config:\d+: XEN_UNPOPULATED_ALLOC=y: conf drops the line: .*depends on ZONE_DEVICE \(drivers\/xen\/Kconfig:12\)/);
  });

  it('reports an unreadable config file as a one-line error', () => {
    const missing = path.join(tmp(), 'no-such.config');
    expectOneLineError(run('check', '--tree', FIXED, '--arch', 'x86_64', missing), `kconfsat: cannot read ${missing}`);
  });
});

describe('check defaults', () => {
  it('reads $KCONFIG_CONFIG when no file is given', () => {
    const { out } = witness();
    const env: NodeJS.ProcessEnv = { ...process.env, KCONFIG_CONFIG: out };
    delete env.srctree;
    delete env.ARCH;
    const r = spawnSync(process.execPath, [MAIN, 'check', '--tree', FIXED, '--arch', 'x86_64'], { cwd: REPO, encoding: 'utf8', env });
    expect([r.status, r.stdout]).toEqual([0, `${out} (x86_64): valid (conf keeps every line)\n`]);
  });
});

describe('values, dead, sample, query --config', () => {
  it('values: one line per symbol, exit 0', () => {
    const r = run('values', '--tree', FIXED, '--arch', 'i386', '64BIT', 'XEN_GNTDEV', 'XEN_UNPOPULATED_ALLOC');
    expect(r.stdout).toBe('64BIT on i386: n\nXEN_GNTDEV on i386: n m y\nXEN_UNPOPULATED_ALLOC on i386: n\n');
    expect(r.status).toBe(0);
  });

  it('dead --json: XEN_UNPOPULATED_ALLOC dead on i386 in the fixed tree, with its reason', () => {
    const r = run('--json', 'dead', '--tree', FIXED, '--arch', 'i386', '--reasons');
    // Dead symbols are findings: exit 1, as linters do.
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { dead: { symbol: string; reason: { symbols: string[] } }[]; alwaysOn: { symbol: string }[] };
    const xen = report.dead.find((d) => d.symbol === 'XEN_UNPOPULATED_ALLOC');
    expect(xen?.reason.symbols[0]).toBe('XEN_UNPOPULATED_ALLOC');
    expect(report.alwaysOn.map((d) => d.symbol)).toContain('X86_32');
  });

  it('sample --out-dir writes configs that check accepts', () => {
    const dir = path.join(tmp(), 'samples');
    const r = run('sample', '--tree', BUGGY, '--arch', 'x86_64', '-n', '3', '--seed', '5', '--out-dir', dir);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('sample '))).toHaveLength(3);
    for (const k of [1, 2, 3]) {
      const c = run('check', '--tree', BUGGY, '--arch', 'x86_64', path.join(dir, `config-${k}`));
      expect(c.status, c.stdout).toBe(0);
    }
  });

  it('count options reject what is not a positive integer', () => {
    expectOneLineError(run('sample', '--tree', BUGGY, '-n', 'many'), "kconfsat: -n expects a positive integer, got 'many'");
    expectOneLineError(run('fix', '--tree', BUGGY, '--jobs', '0'), "kconfsat: --jobs expects a positive integer, got '0'");
    expectOneLineError(run('resolve', '--tree', BUGGY, '--max', '2.5', 'XEN=y'), "kconfsat: --max expects a positive integer, got '2.5'");
  });

  it('query --config keeps the base and lists what had to change', () => {
    const base = path.join(tmp(), 'base.config');
    fs.writeFileSync(base, 'CONFIG_XEN=y\n# CONFIG_XEN_UNPOPULATED_ALLOC is not set\n# CONFIG_ZONE_DEVICE is not set\nCONFIG_XEN_GNTDEV=y\n');
    const r = run('query', '--tree', FIXED, '--arch', 'x86_64', '--config', base, 'XEN_UNPOPULATED_ALLOC=y');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('values of the base config that had to change: \n    XEN_UNPOPULATED_ALLOC: n -> y\n    ZONE_DEVICE: n -> y\n');
  });
});

describe('one-line errors, exit 2', () => {
  // Each row: the arguments after `query --tree FIXED`, and the one line they must fail with.
  const queryErrors: Record<string, [string[], string][]> = {
    'for an unknown symbol in a query': [[['--arch', 'x86_64', 'NO_SUCH_SYMBOL=y'], "kconfsat: unknown symbol 'NO_SUCH_SYMBOL' for x86_64 in 'NO_SUCH_SYMBOL=y'"]],
    'for a malformed expression': [
      [['--arch', 'x86_64', 'XEN=y &&'], "kconfsat: <query>:1:7: unexpected end of line, expected a symbol or constant in 'XEN=y &&'"],
      [['--arch', 'x86_64', '(XEN || PARAVIRT'], "kconfsat: <query>:1:9: unexpected end of line, expected ')' in '(XEN || PARAVIRT'"],
    ],
    'for an unknown arch': [[['--arch', 'sparc', 'XEN=y'], "kconfsat: unknown architecture 'sparc' (known: i386, x86, x86_64)"]],
    'for a bad --env value': [[['--arch', 'x86_64', '--env', 'NOEQUALS', 'XEN=y'], "kconfsat: --env expects VAR=value, got 'NOEQUALS'"]],
  };
  for (const [title, rows] of Object.entries(queryErrors)) {
    it(title, () => {
      for (const [args, line] of rows) expectOneLineError(run('query', '--tree', FIXED, ...args), line);
    });
  }

  it('for a missing tree', () => {
    const missing = path.join(tmp(), 'no-such-tree');
    const line = `kconfsat: tree not found: ${missing} (pass the Kconfig source tree with --tree or $srctree)`;
    expectOneLineError(run('query', '--tree', missing, 'A=y'), line);
    const config = path.join(tmp(), 'for-missing-tree.config');
    fs.writeFileSync(config, 'CONFIG_A=y\n');
    expectOneLineError(run('check', '--tree', missing, config), line);
  });

  /** A tree on disk of one Kconfig file. */
  const oneFileTree = (name: string, text: string): string => {
    const tree = path.join(tmp(), name);
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, 'Kconfig'), text);
    return tree;
  };

  it('for a tree with a missing endif', () => {
    const tree = oneFileTree('missing-endif', 'config A\n\tbool "a"\n\nif A\nconfig B\n\tbool "b"\n');
    expectOneLineError(run('query', '--tree', tree, 'B=y'), "kconfsat: Kconfig:4:1: 'if' without matching 'endif'");
  });

  it('for a macro error-if in the tree', () => {
    const tree = oneFileTree('error-if', 'config A\n\tbool "a"\n$(error-if,y,no compiler here)\n');
    expectOneLineError(run('query', '--tree', tree, 'A=y'), 'kconfsat: Kconfig:3:1: no compiler here');
  });
});

describe('audit', () => {
  const buggy = once(() => {
    const dir = path.join(tmp(), 'audit-buggy');
    const files = { sarif: path.join(dir, 'audit.sarif'), csv: path.join(dir, 'audit.csv'), outDir: path.join(dir, 'witnesses') };
    fs.mkdirSync(dir);
    const r = run('audit', '--tree', BUGGY, '--arch', 'i386', '--sarif', files.sarif, '--csv', files.csv, '--out-dir', files.outDir);
    return { r, ...files };
  });

  it('buggy i386: exactly the ZONE_DEVICE finding selected by XEN_UNPOPULATED_ALLOC, exit 1, nothing on stderr when piped', () => {
    const { r } = buggy();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const findings = r.stdout.split('\n').filter((l) => l.includes(' -> '));
    expect(findings).toEqual([
      'drivers/xen/Kconfig:13: XEN_UNPOPULATED_ALLOC -> ZONE_DEVICE: selected [y] while depends on [n]: ' +
        'MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP on i386',
    ]);
    expect(r.stdout).toMatch(/^i386: 1 findings \(5 selects, /m);
  });

  it('buggy i386: the witness .config forces ZONE_DEVICE with ARCH_HAS_PTE_DEVMAP off, and the CSV names it', () => {
    const { outDir, csv } = buggy();
    const file = path.join(outDir, 'i386-XEN_UNPOPULATED_ALLOC-ZONE_DEVICE-13.config');
    const config = fs.readFileSync(file, 'utf8').split('\n');
    expect(config).toEqual(expect.arrayContaining(['CONFIG_XEN_UNPOPULATED_ALLOC=y', 'CONFIG_ZONE_DEVICE=y']));
    // ARCH_HAS_PTE_DEVMAP is only selected on X86_64: never set on i386, so ZONE_DEVICE's dependencies fail.
    expect(config.filter((l) => l.startsWith('CONFIG_ARCH_HAS_PTE_DEVMAP='))).toEqual([]);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toBe(`i386,drivers/xen/Kconfig,13,XEN_UNPOPULATED_ALLOC,ZONE_DEVICE,y,n,MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP,select ZONE_DEVICE,,${file}`);
  });

  it('buggy i386: --sarif writes one result at the select line', () => {
    const log = JSON.parse(fs.readFileSync(buggy().sarif, 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; properties: { arches: string[] } }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine, x.properties.arches])).toEqual([
      ['unmet-direct-dependency', 'drivers/xen/Kconfig', 13, ['i386']],
    ]);
  });

  it('fixed, every arch on two worker threads: no finding, exit 0', () => {
    const r = run('audit', '--tree', FIXED, '--arch', 'all', '--jobs', '2');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.includes(' -> '))).toEqual([]);
    expect(r.stdout).toContain('0 findings (0 on all arches together)');
  });

  it('--json: the finding grouped across arches, with each arch\'s witness', () => {
    const r = run('--json', 'audit', '--tree', BUGGY, '--arch', 'all', '--jobs', '2');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      arches: { arch: string; findings: number; selects: number }[];
      findings: { selector: string; selectee: string; loc: { file: string; line: number }; arches: string[]; findings: { arch: string; witness: { name: string; value: string }[] }[] }[];
    };
    expect(out.arches.map((a) => [a.arch, a.findings])).toEqual([['i386', 1], ['x86', 1], ['x86_64', 1]]);
    expect(out.findings.map((f) => [f.selector, f.selectee, f.loc.file, f.loc.line, f.arches])).toEqual([
      ['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE', 'drivers/xen/Kconfig', 13, ['i386', 'x86', 'x86_64']],
    ]);
    for (const f of out.findings[0]!.findings) expect(f.witness).toContainEqual(expect.objectContaining({ name: 'ZONE_DEVICE', value: 'y' }));
  });

  it('--confirm on a tree that is not Linux is a one-line error', () => {
    expectOneLineError(
      run('audit', '--tree', FIXED, '--arch', 'i386', '--confirm', '--conf', '/bin/true'),
      `kconfsat: ${FIXED} is not a Linux tree (no scripts/kconfig/conf.c): conf cannot confirm`,
    );
  });
});

describe('slips a new user makes', () => {
  it('a build directory (make O=) is named as one, with its source tree', () => {
    const build = path.join(tmp(), 'build-dir');
    fs.mkdirSync(build);
    fs.writeFileSync(path.join(build, 'Makefile'), `# Automatically generated by ${REPO}${FIXED}/Makefile: don't edit\ninclude /src/linux/Makefile\n`);
    expectOneLineError(
      run('query', '--tree', build, '--arch', 'x86_64', 'XEN=y'),
      `kconfsat: ${build} is a build directory (make O=), not the source tree: try --tree /src/linux`,
    );
  });

  it('a directory without Kconfig is not a Kconfig tree, and one with a .config is likely a build directory', () => {
    const empty = path.join(tmp(), 'no-kconfig');
    fs.mkdirSync(empty);
    const hint = 'pass the source tree with --tree or $srctree';
    expectOneLineError(run('info', '--tree', empty), `kconfsat: ${empty} is not a Kconfig tree: no Kconfig there; ${hint}`);
    fs.writeFileSync(path.join(empty, '.config'), 'CONFIG_A=y\n');
    expectOneLineError(run('info', '--tree', empty), `kconfsat: ${empty} is not a Kconfig tree: no Kconfig there (it has a .config: a build directory?); ${hint}`);
  });

  it('no --arch: the host arch, as kbuild picks it', () => {
    const r = run('query', '--tree', FIXED, 'XEN=y');
    const host = os.machine() === 'x86_64' ? 'x86_64' : /^i.86$/.test(os.machine()) ? 'i386' : undefined;
    if (host === undefined) return expect(r.stderr).toContain('unknown architecture');
    expect([r.status, r.stdout.split('\n')[0]]).toEqual([0, `XEN=y on ${host}: yes`]);
  });

  it('kbuild SUBARCH names for uname -m', () => {
    expect(['x86_64', 'i686', 'aarch64', 'armv7l', 'ppc64le', 's390x', 'riscv64', 'mips64', 'loongarch64'].map(hostArch)).toEqual([
      'x86_64', 'i386', 'arm64', 'arm', 'powerpc', 's390', 'riscv', 'mips', 'loongarch',
    ]);
  });

  it('check without a file and no .config here says so', () => {
    const env = { ...process.env };
    delete env.KCONFIG_CONFIG;
    const dir = path.join(tmp(), 'no-dot-config');
    fs.mkdirSync(dir);
    const r = spawnSync(process.execPath, [MAIN, 'check', '--tree', path.join(REPO, FIXED), '--arch', 'x86_64'], { cwd: dir, encoding: 'utf8', env });
    expectOneLineError(r, `kconfsat: no .config in ${dir}: pass a file or set KCONFIG_CONFIG`);
  });

  it('CONFIG_-prefixed names mean the symbol', () => {
    expect(run('query', '--tree', FIXED, '--arch', 'x86_64', 'CONFIG_XEN_UNPOPULATED_ALLOC=y').stdout.split('\n')[0]).toBe(
      'CONFIG_XEN_UNPOPULATED_ALLOC=y on x86_64: yes',
    );
    expect(run('values', '--tree', FIXED, '--arch', 'i386', 'CONFIG_64BIT').stdout).toBe('64BIT on i386: n\n');
  });

  it('a usage error is one line and where to read more', () => {
    const r = run('query');
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', "kconfsat: missing required argument 'expr'\nsee kconfsat query --help\n"]);
    expect(run('--bogus', 'info').stderr).toBe("kconfsat: unknown option '--bogus'\nsee kconfsat --help\n");
  });

  it('a command\'s option written before the command names the command it belongs to', () => {
    const r = run('--tree', FIXED, '--arch', 'all', '--verbose', 'query', 'XEN_UNPOPULATED_ALLOC=y');
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', 'kconfsat: --verbose is an option of query, values, review: write it after the command (kconfsat query --verbose ...)\nsee kconfsat --help\n']);
    expect(run('--jobs', '2', 'audit').stderr.split('\n')[0]).toBe('kconfsat: --jobs is an option of audit, fix, review: write it after the command (kconfsat audit --jobs ...)');
  });

  it('a subcommand\'s help shows the global options', () => {
    const r = run('query', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Global Options:');
    expect(r.stdout).toMatch(/--tree <dir> /);
  });

  it('--arch all --verbose, as the README writes it, answers per arch with details', () => {
    const r = run('--tree', FIXED, '--arch', 'all', 'query', 'XEN_UNPOPULATED_ALLOC=y', '--verbose');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('XEN_UNPOPULATED_ALLOC=y on i386: no\n  because XEN_UNPOPULATED_ALLOC: depends on ZONE_DEVICE');
    expect(r.stdout).toContain('every line of XEN_UNPOPULATED_ALLOC, ZONE_DEVICE');
  });

  it('--progress reports on stderr with an ETA even when it is not a terminal', () => {
    const r = run('--progress', 'sample', '--tree', BUGGY, '--arch', 'x86_64', '-n', '2');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^sample: 50% 1\/2 configurations \(\d+s, ETA \d+s\)$/m);
  });
});

describe('values', () => {
  it('sorted, int and hex as the intervals the tree tells apart', () => {
    const tree = path.join(tmp(), 'intervals');
    fs.mkdirSync(tree);
    fs.writeFileSync(
      path.join(tree, 'Kconfig'),
      'config BIG\n\tbool "big"\nconfig N\n\tint "n"\n\trange 1 8192\n\tdefault 64\nconfig SMALL\n\tdef_bool N < 64\n' +
        'config ADDR\n\thex "addr"\n\trange 0x0 0x1000\n',
    );
    // Constants are read as decimal and as hex alike (64 and 0x64 = 100), as conf's parsers may; a hex
    // symbol without a default can stay empty.
    const r = run('values', '--tree', tree, 'N', 'ADDR');
    expect(r.stdout).toBe('N: 1 2..63 64 65..99 100 101..8191 8192\nADDR: "" 0x0 0x1..0xfff 0x1000\n');
    const json = JSON.parse(run('--json', 'values', '--tree', tree, 'N').stdout) as { values: string[]; intervals: object[] }[];
    expect(json[0]!.values).toEqual(['1', '2', '64', '65', '100', '101', '8192']);
    expect(json[0]!.intervals.slice(0, 3)).toEqual([{ min: '1', max: '1' }, { min: '2', max: '63' }, { min: '64', max: '64' }]);
  });
});
