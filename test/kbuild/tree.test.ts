/**
 * The Kbuild tree and build questions on small trees: directory and object
 * conditions as Makefile.build decides them, the answer of query --builds
 * against brute force over every valid configuration (the reference
 * evaluator's fixpoints), the Linux 6.1 seed (gated), and bad input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, buildValues, kbuildTree } from '../../src/analysis/builds.js';
import { cover, type CoverLine, type CoverResult } from '../../src/analysis/cover.js';
import { applyPatchesMarking } from '../../src/io/apply-patch.js';
import { OverlaySourceFiles } from '../../src/parse/overlay.js';
import { Session } from '../../src/analysis/session.js';
import { evaluate, or } from '../../src/kbuild/condition.js';
import { KbuildTree } from '../../src/kbuild/tree.js';
import { KconfsatError } from '../../src/errors.js';
import { MemorySourceFiles } from '../../src/parse/files.js';
import { openTree } from '../../src/model/load.js';
import { enumerateFixpoints } from '../reference/evaluator.js';
import { requireEnv } from '../helpers/requires.js';
import { scratchDir } from '../helpers/scratch.js';
import { ensureBuilt, expectOneLineError, REPO, run } from '../cli/run.js';

const EXAMPLE = path.join(REPO, 'corpora/examples/xen-zone-device/fixed');

/** The example's Kconfig files with a Kbuild tree around them. */
function exampleFiles(extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of ['Kconfig', 'arch/x86/Kconfig', 'mm/Kconfig', 'drivers/xen/Kconfig']) files[f] = fs.readFileSync(path.join(EXAMPLE, f), 'utf8');
  return {
    ...files,
    Kbuild: 'obj-y += mm/ drivers/\nobj-y += arch/$(SRCARCH)/\nobj-y += $(ARCH_DRIVERS)\n',
    'arch/x86/Makefile': 'ifeq ($(CONFIG_X86_32),y)\n        BITS := 32\nelse\n        BITS := 64\nendif\nexport BITS\ndrivers-$(CONFIG_XEN) += arch/x86/xen/\n',
    'arch/x86/Kbuild': 'obj-y += head_$(BITS).o\n',
    'arch/x86/xen/Makefile': 'obj-y += enlighten.o\n',
    'mm/Makefile': 'obj-$(CONFIG_ZONE_DEVICE) += memremap.o\nobj-$(CONFIG_MEMORY_HOTPLUG) += hotplug/\n',
    'mm/hotplug/Makefile': 'hp-y := core.o\nhp-$(CONFIG_MEMORY_HOTREMOVE) += remove.o\nobj-y += hp.o\n',
    'drivers/Makefile': 'obj-$(CONFIG_XEN) += xen/\n',
    'drivers/xen/Makefile':
      'obj-y += grant-table.o\nobj-$(CONFIG_XEN_UNPOPULATED_ALLOC) += unpopulated-alloc.o\nobj-$(CONFIG_XEN_GNTDEV) += xen-gntdev.o gntdev/\nxen-gntdev-y := gntdev.o\nxen-gntdev-$(CONFIG_XEN_BALLOON) += gntdev-balloon.o\nlib-y += util.o\n',
    'drivers/xen/gntdev/Makefile': 'obj-y += inner.o\nobj-m += inner-mod.o\n',
    'drivers/xen/unpopulated-alloc.c': 'int a;\n#ifdef CONFIG_XEN_BALLOON\nint b;\n#endif\n#if IS_MODULE(CONFIG_XEN_GNTDEV)\nint c;\n#endif\n',
    'drivers/xen/gntdev-balloon.c': 'int x;\n',
    'drivers/xen/gntdev.c': '#if IS_BUILTIN(CONFIG_XEN_GNTDEV) && !defined(MODULE)\nint y;\n#endif\n#ifdef MODULE\nint z;\n#endif\n',
    ...extra,
  };
}

/** Few enough symbols for the reference evaluator to list every valid configuration. */
const SMALL_KCONFIG = {
  Kconfig: 'config MODULES\n\tbool "modules"\n\tmodules\nsource "arch/$(SRCARCH)/Kconfig"\n',
  'arch/x86/Kconfig': [
    'config 64BIT\n\tdef_bool "$(ARCH)" != "i386"',
    'config X86_32\n\tdef_bool !64BIT',
    'config XEN\n\tbool "xen"',
    'config ZONE_DEVICE\n\tbool "zone device"\n\tdepends on 64BIT && MEMORY_HOTPLUG',
    'config MEMORY_HOTPLUG\n\tbool "hotplug"',
    'config XEN_UNPOPULATED_ALLOC\n\tbool "unpopulated"\n\tdepends on XEN && ZONE_DEVICE',
    'config XEN_GNTDEV\n\ttristate "gntdev"\n\tdepends on XEN',
    'config XEN_BALLOON\n\tbool "balloon"\n\tdepends on XEN',
  ].join('\n'),
};

function session(arch: string, extra: Record<string, string> = {}): Session {
  return Session.open({ tree: new MemorySourceFiles(exampleFiles(extra)), arch });
}

describe('Kbuild tree', () => {
  it('conditions of directories and objects follow Makefile.build (need-builtin, obj-m, lib-y, composites, arch lists)', () => {
    const tree = new KbuildTree({ files: new MemorySourceFiles(exampleFiles()), arch: 'x86_64', srcarch: 'x86' }).walk();
    const built = (config: Record<string, string>): string[] => {
      const values = new Map(Object.entries(config));
      return [...tree.objects.values()].filter((o) => evaluate(or(tree.builtinCond(o), tree.moduleCond(o)), values) === true).map((o) => o.path).sort();
    };
    expect(built({ X86_32: 'y', XEN: 'y', XEN_GNTDEV: 'y', XEN_BALLOON: 'y' })).toEqual([
      'arch/x86/head_32.o',
      'arch/x86/xen/enlighten.o',
      'drivers/xen/gntdev-balloon.o',
      'drivers/xen/gntdev.o',
      'drivers/xen/gntdev/inner.o',
      'drivers/xen/grant-table.o',
      'drivers/xen/util.o',
    ]);
    // gntdev/ named in obj-m only: its obj-y object is not built, its obj-m one is (with MODULES).
    expect(built({ MODULES: 'y', XEN: 'y', XEN_GNTDEV: 'm', MEMORY_HOTPLUG: 'y', MEMORY_HOTREMOVE: 'y' })).toEqual([
      'arch/x86/head_64.o',
      'arch/x86/xen/enlighten.o',
      'drivers/xen/gntdev.o',
      'drivers/xen/gntdev/inner-mod.o',
      'drivers/xen/grant-table.o',
      'drivers/xen/util.o',
      'mm/hotplug/core.o',
      'mm/hotplug/remove.o',
    ]);
    expect(built({})).toEqual(['arch/x86/head_64.o']);
    expect(tree.free).toEqual([]);
  });

  it('query --builds answers as brute force over every valid configuration does', () => {
    const targets = ['drivers/xen/unpopulated-alloc.c', 'drivers/xen/unpopulated-alloc.c:3', 'drivers/xen/unpopulated-alloc.c:6', 'drivers/xen/gntdev.c:2', 'drivers/xen/gntdev.c:5', 'drivers/xen/gntdev-balloon.c'];
    for (const arch of ['i386', 'x86_64']) {
      const s = session(arch, SMALL_KCONFIG);
      const tree = kbuildTree(s, new MemorySourceFiles(exampleFiles(SMALL_KCONFIG)));
      const fixpoints = enumerateFixpoints(s.model);
      expect(fixpoints.length).toBeGreaterThan(1);
      for (const target of targets) {
        const answer = buildQuery(s, [target], [], { files: new MemorySourceFiles(exampleFiles(SMALL_KCONFIG)) });
        const file = target.split(':')[0]!;
        const obj = tree.objects.get(file.replace(/\.c$/, '.o'))!;
        const line = target.includes(':') ? Number(target.split(':')[1]) : undefined;
        const text = exampleFiles()[file]!.split('\n');
        const expected = fixpoints.some((fp) => {
          const values = new Map([...fp].filter(([, v]) => v !== 'n'));
          const module = evaluate(tree.moduleCond(obj), values) === true;
          if (!(evaluate(tree.builtinCond(obj), values) === true || module)) return false;
          if (line === undefined) return true;
          // The two #if lines of the sample files, decided by hand from kconfig.h's definitions.
          const cond = text[line - 2]!;
          if (cond.includes('XEN_BALLOON')) return values.get('XEN_BALLOON') === 'y';
          if (cond.includes('IS_MODULE')) return values.get('XEN_GNTDEV') === 'm';
          // Kbuild defines MODULE when it compiles the object for a module.
          if (cond === '#ifdef MODULE') return module;
          return values.get('XEN_GNTDEV') === 'y' && !module;
        });
        expect(answer.satisfiable, `${target} on ${arch}`).toBe(expected);
        if (answer.witness) {
          const values = new Map(answer.witness.config.map((e) => [e.name, e.value]));
          expect(evaluate(or(tree.builtinCond(obj), tree.moduleCond(obj)), values), `${target} witness`).toBe(true);
        }
      }
    }
  });

  it('values --builds: built in and as a module, each as brute force over every valid configuration; a file no makefile names is that arch\'s answer', () => {
    const extra = { ...SMALL_KCONFIG, 'drivers/xen/gntdev/inner-mod.c': '', 'drivers/xen/grant-table.c': '', 'drivers/xen/lonely.c': '' };
    const files = new MemorySourceFiles(exampleFiles(extra));
    const seen = new Set<string>();
    for (const arch of ['i386', 'x86_64']) {
      const s = session(arch, extra);
      const tree = kbuildTree(s, files);
      const fixpoints = enumerateFixpoints(s.model).map((fp) => new Map([...fp].filter(([, v]) => v !== 'n')));
      for (const file of ['drivers/xen/unpopulated-alloc.c', 'drivers/xen/gntdev.c', 'drivers/xen/gntdev/inner-mod.c', 'drivers/xen/grant-table.c']) {
        const obj = tree.objects.get(file.replace(/\.c$/, '.o'))!;
        const conds = { y: tree.builtinCond(obj), m: tree.moduleCond(obj) };
        const row = buildValues(s, file, { files });
        const expected = (['y', 'm'] as const).filter((mode) => fixpoints.some((values) => evaluate(conds[mode], values) === true));
        expect(row.values, `${file} on ${arch}`).toEqual(expected);
        seen.add(expected.join(''));
        for (const mode of ['y', 'm'] as const) {
          const witness = row[mode]!.witness;
          if (witness) expect(evaluate(conds[mode], new Map(witness.config.map((e) => [e.name, e.value]))), `${file} ${mode} witness`).toBe(true);
        }
      }
      const lonely = buildValues(s, 'drivers/xen/lonely.c', { files });
      expect(lonely).toEqual({ target: 'drivers/xen/lonely.c', arch, values: [], error: `drivers/xen/lonely.c: no makefile builds it for ${arch} (drivers/xen/Makefile names no lonely.o)` });
    }
    // The sample covers y only, m only, both and neither.
    expect([...seen].sort()).toEqual(['', 'm', 'y', 'ym']);
  });

  it('cover: #ifdef and #ifndef branches need two configurations, each compiling its lines; #if 0 and a line of an unbuilt arch are never compiled, with the reason', () => {
    const files0 = exampleFiles(SMALL_KCONFIG);
    const patch = [
      '--- a/drivers/xen/unpopulated-alloc.c',
      '+++ b/drivers/xen/unpopulated-alloc.c',
      '@@ -3,5 +3,12 @@',
      ' int b;',
      '+int b2;',
      ' #endif',
      ' #if IS_MODULE(CONFIG_XEN_GNTDEV)',
      ' int c;',
      ' #endif',
      '+#ifndef CONFIG_XEN_BALLOON',
      '+int d;',
      '+#endif',
      '+#if 0',
      '+int e;',
      '+#endif',
      '--- a/drivers/xen/Makefile',
      '+++ b/drivers/xen/Makefile',
      '@@ -6,0 +7 @@',
      '+obj-$(CONFIG_XEN_GNTDEV) += extra.o',
      '',
    ].join('\n');
    const { changes, added } = applyPatchesMarking([{ name: 'p.patch', text: patch }], (f) => files0[f]);
    const files = new OverlaySourceFiles(new MemorySourceFiles(files0), changes);
    const x86 = cover(Session.open({ tree: files, arch: 'x86_64' }), new Map(), { files, added });
    const at = (r: CoverResult, line: number, file = 'drivers/xen/unpopulated-alloc.c'): CoverLine => r.lines.find((l) => l.file === file && l.line === line)!;
    // Code lines only: int b2 (4), int d (10), int e (13), and the Makefile line.
    expect(x86.lines.map((l) => `${l.file}:${l.line}`)).toEqual(['drivers/xen/unpopulated-alloc.c:4', 'drivers/xen/unpopulated-alloc.c:10', 'drivers/xen/unpopulated-alloc.c:13', 'drivers/xen/Makefile:7']);
    expect(x86.configs.length).toBe(2);
    expect(at(x86, 4).config).not.toBe(at(x86, 10).config);
    expect(at(x86, 13).reason).toBe('its #if and Kbuild conditions never hold on x86_64');
    const tree = new KbuildTree({ files, arch: 'x86_64', srcarch: 'x86' }).walk();
    const obj = tree.objects.get('drivers/xen/unpopulated-alloc.o')!;
    for (const [line, balloon] of [[4, 'y'], [10, undefined]] as const) {
      const values = new Map(x86.configs[at(x86, line).config!]!.config.map((e) => [e.name, e.value]));
      expect(evaluate(tree.builtinCond(obj), values), `line ${line}`).toBe(true);
      expect(values.get('XEN_BALLOON') === 'y' ? 'y' : undefined, `line ${line}`).toBe(balloon);
    }
    const mk = at(x86, 7, 'drivers/xen/Makefile');
    expect(['y', 'm']).toContain(new Map(x86.configs[mk.config!]!.config.map((e) => [e.name, e.value])).get('XEN_GNTDEV'));
    // From an empty base the first configuration changes only what it must (XEN, MEMORY_HOTPLUG, ZONE_DEVICE, XEN_UNPOPULATED_ALLOC, then XEN_BALLOON or XEN_GNTDEV).
    expect(x86.configs[0]!.changes.map((c) => c.name)).toEqual(expect.arrayContaining(['XEN', 'MEMORY_HOTPLUG', 'ZONE_DEVICE', 'XEN_UNPOPULATED_ALLOC']));

    const i386 = cover(Session.open({ tree: files, arch: 'i386' }), new Map(), { files, added });
    expect(at(i386, 4).reason).toMatch(/^no valid configuration on i386 compiles it \(.*ZONE_DEVICE/);
    expect(at(i386, 7, 'drivers/xen/Makefile').config).toBe(0);
  });

  it("cover keeps the base's toolchain in what it writes: a prompt a probe hides stays out, one it shows stays '# ... is not set'", () => {
    const kconfig = {
      ...SMALL_KCONFIG,
      'arch/x86/Kconfig': `${SMALL_KCONFIG['arch/x86/Kconfig']}\nconfig PLUGINS\n\tbool "plugins"\n\tdepends on $(shell,test -e /no/plugin.h && echo y)\nconfig X32\n\tbool "x32"\n\tdepends on $(shell,objcopy --version >/dev/null && echo y)\n`,
    };
    const files0 = exampleFiles(kconfig);
    const patch = ['--- a/drivers/xen/unpopulated-alloc.c', '+++ b/drivers/xen/unpopulated-alloc.c', '@@ -1 +1,2 @@', ' int a;', '+int a2;', ''].join('\n');
    const { changes, added } = applyPatchesMarking([{ name: 'p.patch', text: patch }], (f) => files0[f]);
    const files = new OverlaySourceFiles(new MemorySourceFiles(files0), changes);
    // conf's .config on x86_64 when the first probe fails and the second holds: PLUGINS unwritten, X32 not set.
    const base = new Map(Object.entries({ MODULES: 'n', '64BIT': 'y', XEN: 'n', MEMORY_HOTPLUG: 'n', X32: 'n' }));
    const result = cover(Session.open({ tree: files, arch: 'x86_64' }), base, { files, added });
    expect(result.configs.length).toBe(1);
    const written = new Map(result.configs[0]!.config.map((e) => [e.name, e.value]));
    expect(written.has('PLUGINS')).toBe(false);
    expect(written.get('X32')).toBe('n');
    expect(written.get('XEN_UNPOPULATED_ALLOC')).toBe('y');
  });

  it('#ifdef MODULE holds where Kbuild compiles the object for a module: never together with !defined(MODULE)', () => {
    const files = new MemorySourceFiles(exampleFiles(SMALL_KCONFIG));
    const s = session('x86_64', SMALL_KCONFIG);
    const module = buildQuery(s, ['drivers/xen/gntdev.c:5'], [], { files });
    expect(module.satisfiable).toBe(true);
    expect(module.targets[0]!.mode).toBe('m');
    expect(buildQuery(s, ['drivers/xen/gntdev.c:2', 'drivers/xen/gntdev.c:5'], [], { files }).satisfiable).toBe(false);
  });

  it('the seed on the example: no on i386 with ZONE_DEVICE in the reason, yes on x86_64 built in', () => {
    const no = buildQuery(session('i386'), ['drivers/xen/unpopulated-alloc.c']);
    expect(no.satisfiable).toBe(false);
    expect(no.explanation!.chain.map((c) => c.symbol)).toContain('ZONE_DEVICE');
    expect(no.targets[0]!.lines.map((l) => `${l.file}:${l.line}`)).toEqual(['Kbuild:1', 'drivers/Makefile:1', 'drivers/xen/Makefile:2']);
    const yes = buildQuery(session('x86_64'), ['drivers/xen/unpopulated-alloc.c']);
    expect(yes.satisfiable).toBe(true);
    expect(yes.targets[0]!.mode).toBe('y');
  });

  it('bad input: outside the tree, a file no makefile names, an unreadable makefile: one-line errors', () => {
    const err = (targets: string[], extra: Record<string, string> = {}): string => {
      try {
        buildQuery(session('x86_64', extra), targets);
      } catch (e) {
        expect(e).toBeInstanceOf(KconfsatError);
        return (e as KconfsatError).format();
      }
      return 'no error';
    };
    expect(err(['../etc/passwd.c'])).toBe('../etc/passwd.c is outside the tree .');
    expect(err(['drivers/xen/other.c'], { 'drivers/xen/other.c': 'int z;\n' })).toBe('drivers/xen/other.c: no makefile builds it for x86_64 (drivers/xen/Makefile names no other.o)');
    expect(err(['drivers/xen/gntdev.c'], { 'drivers/Makefile': 'ifdef CONFIG_XEN\nobj-y += xen/\n' })).toBe('drivers/Makefile:1: ifeq/ifdef without endif');
    expect(err(['drivers/xen/gntdev.c:99'])).toBe('drivers/xen/gntdev.c:99: drivers/xen/gntdev.c has 7 lines');
  });
});

describe('query --builds on the command line', () => {
  const tmp = scratchDir('kbuild-cli');
  beforeAll(() => ensureBuilt());

  it('bad input is one line and exit 2', () => {
    const dir = tmp();
    for (const [f, text] of Object.entries(exampleFiles())) {
      fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    expectOneLineError(run('--tree', dir, '--arch', 'x86_64', 'query', '--builds', '/etc/hostname'), `kconfsat: /etc/hostname is outside the tree ${dir}`);
    fs.writeFileSync(path.join(dir, 'drivers/xen/lonely.c'), '');
    expectOneLineError(
      run('--tree', dir, '--arch', 'x86_64', 'query', '--builds', 'drivers/xen/lonely.c'),
      'kconfsat: drivers/xen/lonely.c: no makefile builds it for x86_64 (drivers/xen/Makefile names no lonely.o)',
    );
    fs.writeFileSync(path.join(dir, 'drivers/xen/Makefile'), 'obj-y += a.o\nendif\n');
    expectOneLineError(run('--tree', dir, '--arch', 'x86_64', 'query', '--builds', 'drivers/xen/gntdev.c'), 'kconfsat: drivers/xen/Makefile:2: endif without ifeq/ifdef');
  });

  it('values --builds and cover: bad input is one line and exit 2; a file some arch builds is a row per arch', () => {
    const dir = tmp();
    for (const [f, text] of Object.entries(exampleFiles())) {
      fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    fs.writeFileSync(path.join(dir, 'drivers/xen/lonely.c'), '');
    expectOneLineError(run('--tree', dir, '--arch', 'x86_64', 'values', '--builds', '/etc/hostname'), `kconfsat: /etc/hostname is outside the tree ${dir}`);
    expectOneLineError(
      run('--tree', dir, '--arch', 'x86_64', 'values', '--builds', 'drivers/xen/lonely.c'),
      'kconfsat: drivers/xen/lonely.c: no makefile builds it for x86_64 (drivers/xen/Makefile names no lonely.o)',
    );
    const ok = run('--tree', dir, '--arch', 'all', 'values', '--builds', 'drivers/xen/unpopulated-alloc.c');
    expect(ok.stdout.split('\n').filter((l) => !l.startsWith(' '))).toEqual(['drivers/xen/unpopulated-alloc.c on i386: not built in any valid configuration', 'drivers/xen/unpopulated-alloc.c on x86: y (built in)', 'drivers/xen/unpopulated-alloc.c on x86_64: y (built in)', '']);
    expect(ok.status).toBe(0);

    fs.writeFileSync(path.join(dir, '.config'), '');
    const patch = (file: string, line: string): string => {
      const p = path.join(dir, 'p.patch');
      fs.writeFileSync(p, `--- a/${file}\n+++ b/${file}\n@@ -1,0 +2 @@\n+${line}\n`);
      return p;
    };
    expectOneLineError(run('--tree', dir, '--arch', 'x86_64', 'cover', '--config', path.join(dir, '.config'), patch('../outside.c', 'int x;')), `kconfsat: ${path.join(dir, 'p.patch')}:1: ../outside.c: path leads outside the tree`);
    expectOneLineError(run('--tree', dir, '--arch', 'x86_64', 'cover', '--config', path.join(dir, '.config'), patch('drivers/xen/gntdev.c', '#endif')), 'kconfsat: drivers/xen/gntdev.c:4: #endif without #if');
    const never = run('--tree', dir, '--arch', 'x86_64', 'cover', '--config', path.join(dir, '.config'), patch('drivers/xen/lonely.c', 'int x;'));
    expect(never.stdout).toContain('drivers/xen/lonely.c:1: never: drivers/xen/lonely.c: no makefile builds it for x86_64 (drivers/xen/Makefile names no lonely.o)');
    expect(never.status).toBe(1);
  });
});

const linux = requireEnv('KCONFSAT_LINUX_61', 'the Linux 6.1 build seed');

describe.skipIf(!linux)('Linux 6.1 seed: drivers/xen/unpopulated-alloc.c', () => {
  it('i386: no, because XEN_UNPOPULATED_ALLOC depends on ZONE_DEVICE, which needs 64BIT; x86_64: yes, and the witness builds the object', () => {
    const no = buildQuery(Session.open({ tree: linux!, arch: 'i386' }), ['drivers/xen/unpopulated-alloc.c']);
    expect(no.satisfiable).toBe(false);
    const chain = no.explanation!.chain.map((c) => c.symbol);
    expect(chain.slice(0, 2)).toEqual(['XEN_UNPOPULATED_ALLOC', 'ZONE_DEVICE']);
    expect(chain).toContain('64BIT');
    expect(no.explanation!.chain[0]!.facts.map((f) => `${f.loc.file}: ${f.text}`)).toContain('drivers/xen/Kconfig: depends on ZONE_DEVICE');
    expect(no.targets[0]!.lines.map((l) => l.text)).toContain('obj-$(CONFIG_XEN_UNPOPULATED_ALLOC)	+= unpopulated-alloc.o');

    const s = Session.open({ tree: linux!, arch: 'x86_64' });
    const yes = buildQuery(s, ['drivers/xen/unpopulated-alloc.c']);
    expect(yes.satisfiable).toBe(true);
    expect(yes.targets[0]!.mode).toBe('y');
    const tree = kbuildTree(s, openTree(linux!));
    const obj = tree.objects.get('drivers/xen/unpopulated-alloc.o')!;
    const values = new Map(yes.witness!.config.map((e) => [e.name, e.value]));
    expect(evaluate(tree.builtinCond(obj), values)).toBe(true);
  }, 120_000);
});
