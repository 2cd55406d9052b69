/**
 * kbuild-oracle: kconfsat's Kbuild reader and line conditions against the
 * kernel's own build system and preprocessor, on configurations made by conf.
 *
 *   objects  for each configuration (allyes, allmod, allno, defconfig,
 *            randconfigs) conf writes .config and auto.conf (--syncconfig, in a
 *            scratch output directory); make itself reads every Kbuild file
 *            for it (scripts/kbuild-oracle.mk, nothing compiled) and prints the
 *            objects it would compile; kconfsat evaluates each object's build
 *            condition on the same .config. Every object on which they differ
 *            is listed.
 *   lines    for sampled C files the configuration builds, gcc -E with the
 *            configuration's autoconf.h and include/linux/kconfig.h (the
 *            file's #include lines blanked, so only its own #if blocks act)
 *            against each code line's condition; lines whose condition
 *            depends on a free input (a macro not from the configuration) are
 *            counted apart.
 *   cover    (--cover N) N patches of one hunk each, from C files that differ
 *            between this tree and --new-tree (Linux 6.12): `cover` from the
 *            arch's defconfig; each configuration it makes goes through conf
 *            --syncconfig (it must come back unchanged), make's reading and
 *            gcc -E of the patched file, which count the lines compiled.
 *
 * Nothing is written to the tree. Usage: see USAGE.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kbuildTree } from '../src/analysis/builds.js';
import { cover } from '../src/analysis/cover.js';
import { applyPatchesMarking } from '../src/io/apply-patch.js';
import { writeDotConfig } from '../src/io/dotconfig.js';
import { OverlaySourceFiles } from '../src/parse/overlay.js';
import { confEnvironment } from '../src/workflow/reference.js';
import { configValues, Session } from '../src/analysis/session.js';
import { evaluate, type Cond } from '../src/kbuild/condition.js';
import { lineConditions } from '../src/kbuild/cpp.js';
import { parseDotConfig } from '../src/io/dotconfig.js';
import { openTree } from '../src/model/load.js';
import { keptLines } from './lib/cpp-output.js';
import { debianChanges } from './lib/debian-patches.js';
import { countOption, scriptOptions, stringOptions } from './lib/options.js';
import { archList } from './lib/targets.js';

const USAGE = `usage: scripts/kbuild-oracle [options]
  --tree DIR      Linux 6.1 tree (default $KCONFSAT_LINUX_61)
  --conf PATH     conf binary (default $KCONFSAT_CONF_61)
  --arch LIST     comma-separated ARCH values, or all (default x86_64,i386,arm64)
  -n N            randconfigs per arch (default 10), besides allyes, allmod, allno and defconfig
  --seed S        first KCONFIG_SEED (default 1)
  --kinds LIST    which of allyes,allmod,allno,defconfig to run (default all four)
  --files N       C files sampled per configuration for the line check (default 10)
  --work DIR      scratch output directory (default: a temporary one, removed)
  --out FILE      write the report as JSON
  --cover N       instead: check cover on N one-hunk patches from --new-tree (default $KCONFSAT_LINUX_612), on the first --arch
  --debian        with --cover: on (up to N of) the patches of Debian's linux source package that touch C, makefiles or Kconfig
`;

const MK = fileURLToPath(new URL('../../scripts/kbuild-oracle.mk', import.meta.url));

interface Disagreement {
  arch: string;
  config: string;
  object: string;
  make: boolean;
  kconfsat: boolean | 'unknown';
}

interface LineDisagreement {
  arch: string;
  config: string;
  file: string;
  line: number;
  gcc: boolean;
  kconfsat: boolean;
}

function main(): void {
  const o = scriptOptions('kbuild-oracle', USAGE, {
    ...stringOptions('tree', 'conf', 'arch'),
    n: { type: 'string', short: 'n' },
    ...stringOptions('seed', 'files', 'kinds', 'work', 'out', 'cover', 'new-tree'),
    debian: { type: 'boolean' },
  });
  const tree = path.resolve(o.tree ?? process.env.KCONFSAT_LINUX_61 ?? '');
  const conf = o.conf ?? process.env.KCONFSAT_CONF_61 ?? '';
  if (!fs.existsSync(path.join(tree, 'Kbuild')) || !fs.existsSync(conf)) {
    process.stderr.write(`kbuild-oracle: need --tree (a Linux 6.1 tree) and --conf (its conf)\n${USAGE}`);
    process.exit(2);
  }
  const arches = archList(o.arch, ['x86_64', 'i386', 'arm64'], tree);
  const rand = countOption('kbuild-oracle', '-n', o.n, 10);
  const seed = countOption('kbuild-oracle', '--seed', o.seed, 1, 1);
  const filesPer = countOption('kbuild-oracle', '--files', o.files, 10);
  const work = o.work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kbuild-oracle-'));
  if (o.cover !== undefined) {
    const newTree = path.resolve(o['new-tree'] ?? process.env.KCONFSAT_LINUX_612 ?? '');
    coverCheck(tree, o.debian ? undefined : newTree, conf, arches[0]!, countOption('kbuild-oracle', '--cover', o.cover, 50, 1), work, o.out);
    if (!o.work) fs.rmSync(work, { recursive: true, force: true });
    return;
  }
  const report = {
    configs: 0,
    objectChecks: 0,
    objectAgree: 0,
    objectUnknown: 0,
    builtByMake: 0,
    disagreements: [] as Disagreement[],
    seen: new Set<string>(),
    files: 0,
    /** Distinct files checked (report.files counts a file once per configuration). */
    distinctFiles: 0,
    fileErrors: [] as string[],
    lineChecks: 0,
    lineAgree: 0,
    lineFree: 0,
    lineDisagreements: [] as LineDisagreement[],
    perArch: [] as { arch: string; configs: number; objects: number; freeInputs: number; walkMs: number }[],
  };
  for (const arch of arches) {
    const session = Session.open({ tree, arch });
    const t0 = performance.now();
    const kb = kbuildTree(session, openTree(tree));
    const walkMs = performance.now() - t0;
    const objects = [...kb.objects.values()].map((obj) => ({ path: obj.path, built: kb.builtinCond(obj), module: kb.moduleCond(obj) }));
    const env: Record<string, string> = { ...confEnvironment(tree, arch), srctree: tree, PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const out = path.join(work, arch);
    fs.mkdirSync(path.join(out, 'scratch'), { recursive: true });
    const defconfig = env.KCONFIG_DEFCONFIG_LIST?.split(' ')[0];
    const kinds: [string, string[], Record<string, string>][] = [
      ['allyes', ['--allyesconfig'], {}],
      ['allmod', ['--allmodconfig'], {}],
      ['allno', ['--allnoconfig'], {}],
      ...(defconfig ? [['defconfig', [`--defconfig=${path.join(tree, defconfig)}`], {}] as [string, string[], Record<string, string>]] : []),
      ...Array.from({ length: rand }, (_, i): [string, string[], Record<string, string>] => [`rand-${seed + i}`, ['--randconfig'], { KCONFIG_SEED: String(seed + i) }]),
    ];
    let configs = 0;
    const wanted = new Set((o.kinds ?? 'allyes,allmod,allno,defconfig').split(','));
    for (const [name, args, extra] of kinds.filter(([name]) => name.startsWith('rand-') || wanted.has(name))) {
      const runEnv = { ...env, ...extra, KCONFIG_CONFIG: path.join(out, '.config') };
      try {
        execFileSync(conf, [...args, 'Kconfig'], { cwd: out, env: runEnv, stdio: ['ignore', 'ignore', 'pipe'] });
        execFileSync(conf, ['--syncconfig', 'Kconfig'], { cwd: out, env: runEnv, stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (e) {
        process.stderr.write(`kbuild-oracle: ${arch} ${name}: conf failed: ${(e as Error).message.split('\n')[0]}\n`);
        continue;
      }
      const values = readValues(path.join(out, '.config'));
      const built = makeBuilt(tree, out, arch, env.SRCARCH!, values);
      configs++;
      report.configs++;
      report.builtByMake += built.size;
      const memo = new Map<Cond, boolean | undefined>();
      const ours = new Map<string, boolean | undefined>();
      for (const obj of objects) {
        const b = evaluate(obj.built, values, memo);
        const m = evaluate(obj.module, values, memo);
        ours.set(obj.path, b === true || m === true ? true : b === undefined || m === undefined ? undefined : false);
      }
      for (const p of new Set([...ours.keys(), ...built])) {
        const mine = ours.get(p) ?? false;
        const theirs = built.has(p);
        report.objectChecks++;
        if (mine === undefined) report.objectUnknown++;
        if (mine === theirs) report.objectAgree++;
        else report.disagreements.push({ arch, config: name, object: p, make: theirs, kconfsat: mine ?? 'unknown' });
      }
      checkLines(tree, out, arch, name, [...built].filter((p) => p.endsWith('.o')), filesPer, seed + configs, values, report);
      // The report so far after each configuration: a long run stopped midway keeps its numbers.
      if (o.out) writeReport(o.out, report);
      process.stderr.write(
        `kbuild-oracle: ${arch} ${name}: make builds ${built.size} objects; disagreements so far ${report.disagreements.length}; lines ${report.lineAgree}/${report.lineChecks} (${report.lineFree} free)\n`,
      );
    }
    report.perArch.push({ arch, configs, objects: objects.length, freeInputs: kb.free.length, walkMs: Math.round(walkMs) });
  }
  const cpu = process.cpuUsage();
  if (o.out) writeReport(o.out, { ...report, nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000) });
  process.stdout.write(
    `configs ${report.configs}; objects agree ${report.objectAgree}/${report.objectChecks} (${report.objectUnknown} unknown to kconfsat; make built ${report.builtByMake}); ` +
      `files ${report.files}, ${report.distinctFiles} distinct (${report.fileErrors.length} unreadable); lines agree ${report.lineAgree}/${report.lineChecks} (${report.lineFree} lines with free inputs not compared)\n`,
  );
  const distinct = new Map<string, number>();
  for (const d of report.disagreements) distinct.set(`${d.arch} ${d.object} make=${d.make} kconfsat=${d.kconfsat}`, (distinct.get(`${d.arch} ${d.object} make=${d.make} kconfsat=${d.kconfsat}`) ?? 0) + 1);
  for (const [k, n] of distinct) process.stdout.write(`  object ${k} (${n} configs)\n`);
  for (const d of report.lineDisagreements) process.stdout.write(`  line ${d.file}:${d.line} ${d.arch} ${d.config} gcc=${d.gcc} kconfsat=${d.kconfsat}\n`);
  if (!o.work) fs.rmSync(work, { recursive: true, force: true });
}

function writeReport(file: string, report: { disagreements: unknown[]; lineDisagreements: unknown[]; nodeCpuMs?: number }): void {
  const summary = { ...report, seen: undefined, disagreements: report.disagreements.slice(0, 2000), lineDisagreements: report.lineDisagreements.slice(0, 2000) };
  fs.writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
}

/** A .config's CONFIG_ lines and "# CONFIG_... is not set" lines, in order. */
function settingLines(text: string): string[] {
  return text.split('\n').filter((l) => /^(CONFIG_\w+=|# CONFIG_\w+ is not set$)/.test(l));
}

function readValues(file: string): Map<string, string> {
  return configValues(parseDotConfig(fs.readFileSync(file, 'utf8'), file));
}

/** The objects make compiles for the configuration in `out` (modules only with MODULES=y), and those of them compiled for a module. */
function makeBuilt(tree: string, out: string, arch: string, srcarch: string, values: Map<string, string>): Set<string> & { modules: Set<string> } {
  const made = makeObjects(tree, out, arch, srcarch);
  const modules = values.get('MODULES') === 'y' ? made.m.map((p) => path.posix.normalize(p)) : [];
  return Object.assign(new Set([...[...made.y, ...made.lib].map((p) => path.posix.normalize(p)), ...modules]), { modules: new Set(modules) });
}

/** make's own reading of the Kbuild files for the configuration in `out`. */
function makeObjects(tree: string, out: string, arch: string, srcarch: string): { y: string[]; m: string[]; lib: string[] } {
  const text = execFileSync(
    'make',
    ['-s', '-f', MK, '-C', path.join(out, 'scratch'), '-I', tree, `srctree=${tree}`, `KB_AUTOCONF=${path.join(out, 'include/config/auto.conf')}`, `ARCH=${arch}`, `SRCARCH=${srcarch}`],
    { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
  );
  const result = { y: [] as string[], m: [] as string[], lib: [] as string[] };
  for (const line of text.split('\n')) {
    const [tag, , ...objs] = line.split(/\s+/).filter((w) => w !== '');
    if (tag === 'KBY') result.y.push(...objs);
    else if (tag === 'KBM') result.m.push(...objs);
    else if (tag === 'KBL') result.lib.push(...objs);
  }
  return result;
}

/**
 * The file with its #include, #error and similar lines blanked, line numbers
 * kept. Function-like #defines are blanked too: gcc -E writes a call of one
 * that spans lines on its first line and leaves the others blank, which would
 * read as lines not compiled (a macro the file defines is a free input to the
 * line conditions anyway).
 */
function preprocessable(text: string): string {
  let continued = false;
  return text
    .split('\n')
    .map((l) => {
      const drop = continued || /^\s*#\s*(include|include_next|error|warning|import|line|pragma|assert)\b/.test(l) || /^\s*#\s*define\s+\w+\(/.test(l);
      continued = drop && l.endsWith('\\');
      return drop ? '' : l;
    })
    .join('\n');
}

/** The lines gcc -E keeps non-blank, from its line markers; `module`: compiled for a module (Kbuild adds -DMODULE). */
function gccLines(text: string, out: string, tree: string, module = false): Set<number> {
  const defines = module ? ['-DMODULE'] : [];
  const result = execFileSync('gcc', ['-E', '-undef', '-nostdinc', ...defines, '-I', path.join(out, 'include'), '-include', path.join(tree, 'include/linux/kconfig.h'), '-x', 'c', '-'], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return keptLines(result, '<stdin>');
}

function checkLines(
  tree: string,
  out: string,
  arch: string,
  config: string,
  built: string[],
  count: number,
  seed: number,
  values: Map<string, string>,
  report: { files: number; seen: Set<string>; distinctFiles: number; fileErrors: string[]; lineChecks: number; lineAgree: number; lineFree: number; lineDisagreements: LineDisagreement[] },
): void {
  const sources = built.map((o) => o.replace(/\.o$/, '.c')).filter((f) => fs.existsSync(path.join(tree, f)));
  // A fixed-step walk through the sorted list (the same files on every run), files
  // no earlier configuration checked first, so the sample spreads over the tree.
  sources.sort();
  const start = (seed * 7919) % Math.max(1, sources.length);
  const walk = sources.map((_, k) => sources[(start + k * 7919) % sources.length]!);
  const picked = [...walk.filter((f) => !report.seen.has(f)), ...walk.filter((f) => report.seen.has(f))].slice(0, count);
  for (const file of picked) {
    const text = fs.readFileSync(path.join(tree, file), 'utf8');
    let lc;
    try {
      lc = lineConditions(file, text);
    } catch (e) {
      report.fileErrors.push(`${arch} ${config} ${(e as Error).message}`);
      continue;
    }
    let kept: Set<number>;
    try {
      kept = gccLines(preprocessable(text), out, tree);
    } catch {
      report.fileErrors.push(`${arch} ${config} ${file}: gcc -E failed`);
      continue;
    }
    report.files++;
    report.seen.add(file);
    report.distinctFiles = report.seen.size;
    lc.code.forEach((isCode, i) => {
      if (!isCode) return;
      const mine = evaluate(lc.cond[i]!, values);
      if (mine === undefined) {
        report.lineFree++;
        return;
      }
      const theirs = kept.has(i + 1);
      report.lineChecks++;
      if (mine === theirs) report.lineAgree++;
      else report.lineDisagreements.push({ arch, config, file, line: i + 1, gcc: theirs, kconfsat: mine });
    });
  }
}

/** The first hunk with added lines of the file's diff from `tree` to `newTree`, as a patch; undefined when none. */
function oneHunk(tree: string, newTree: string, file: string): string | undefined {
  let text: string;
  try {
    text = execFileSync('diff', ['-u', '--label', `a/${file}`, '--label', `b/${file}`, path.join(tree, file), path.join(newTree, file)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    return undefined;
  } catch (e) {
    text = String((e as { stdout?: string }).stdout ?? '');
  }
  const lines = text.split('\n');
  const starts = lines.flatMap((l, i) => (l.startsWith('@@') ? [i] : []));
  for (const [k, at] of starts.entries()) {
    const hunk = lines.slice(at, starts[k + 1] ?? lines.length);
    if (hunk.some((l) => l.startsWith('+'))) return [...lines.slice(0, 2), ...hunk.filter((l, i) => i < hunk.length - 1 || l !== '')].join('\n') + '\n';
  }
  return undefined;
}

interface CoverRow {
  /** The patch: a 6.1 -> 6.12 file, or a Debian patch's name. */
  name: string;
  lines: number;
  coverable: number;
  /** Coverable lines of C sources and headers make and gcc -E compile under the configurations conf accepted. */
  compiled: number;
  /** Coverable Makefile, Kbuild and Kconfig lines: kconfsat's own reading of them, on conf's configuration. */
  buildLines: number;
  configs: number;
  changes: number;
  cpuMs: number;
  /** Configurations conf changed (not accepted as they are), and the setting lines it removed (-) and added (+). */
  rejected: number;
  confChanged: string[];
  missed: string[];
}

/** One patch for cover: the files it changes (their patched text) and the lines it adds. */
interface CoverCase {
  name: string;
  changes: Record<string, string | null>;
  added: Record<string, number[]>;
}

/** One-hunk patches of C files that 6.1 -> 6.12 changed, of objects this arch can build, spread over the tree. */
function* newTreeCases(tree: string, newTree: string, kb: ReturnType<typeof kbuildTree>, count: number, disk: ReturnType<typeof openTree>): Generator<CoverCase> {
  const sources = [...kb.objects.keys()].map((o) => o.replace(/\.o$/, '.c')).filter((f) => fs.existsSync(path.join(tree, f)) && fs.existsSync(path.join(newTree, f)));
  sources.sort();
  const step = Math.max(1, Math.floor(sources.length / (count * 4)));
  for (let i = 0; i < sources.length; i += step) {
    const file = sources[i]!;
    const patch = oneHunk(tree, newTree, file);
    if (patch === undefined) continue;
    try {
      yield { name: file, ...applyPatchesMarking([{ name: file, text: patch }], (f) => disk.read(f)) };
    } catch {
      continue;
    }
  }
}

/**
 * Debian's patches that touch C sources, headers, makefiles or Kconfig
 * files, each applied to the tree as it was just before it (the tree on disk
 * has the whole series applied; scripts/lib/debian-patches.ts undoes it).
 */
function* debianCases(tree: string, work: string, disk: ReturnType<typeof openTree>): Generator<CoverCase> {
  const touches = (text: string): boolean => /^\+\+\+ \S*(\.[ch]|Makefile|Kbuild|Kconfig[^/\s]*)\s/m.test(text);
  const { changes, skipped, tarball } = debianChanges(tree, work, touches);
  process.stderr.write(`kbuild-oracle: ${path.basename(tarball)}: ${changes.length} patches touch C, makefiles or Kconfig${skipped.length ? `; ${skipped.length} do not undo on this tree` : ''}\n`);
  for (const c of changes) {
    const read = (f: string): string | undefined => (f in c.old ? (c.old[f] ?? undefined) : disk.read(f));
    try {
      const applied = applyPatchesMarking([{ name: c.name, text: c.text }], read);
      yield { name: c.name, changes: { ...c.old, ...applied.changes }, added: applied.added };
    } catch (e) {
      process.stderr.write(`kbuild-oracle: ${c.name}: ${(e as Error).message}\n`);
    }
  }
}

function coverCheck(tree: string, newTree: string | undefined, conf: string, arch: string, count: number, work: string, outFile: string | undefined): void {
  const session = Session.open({ tree, arch });
  const disk = openTree(tree);
  const kb = kbuildTree(session, disk);
  const env: Record<string, string> = { ...confEnvironment(tree, arch), srctree: tree, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const out = path.join(work, `cover-${arch}`);
  fs.mkdirSync(path.join(out, 'scratch'), { recursive: true });
  const runConf = (args: string[], config: string): void =>
    void execFileSync(conf, [...args, 'Kconfig'], { cwd: out, env: { ...env, KCONFIG_CONFIG: config }, stdio: ['ignore', 'ignore', 'pipe'] });
  const baseFile = path.join(out, 'base.config');
  runConf([`--defconfig=${path.join(tree, env.KCONFIG_DEFCONFIG_LIST!.split(' ')[0]!)}`], baseFile);
  const base = readValues(baseFile);
  const rows: CoverRow[] = [];
  const cases = newTree !== undefined ? newTreeCases(tree, newTree, kb, count, disk) : debianCases(tree, work, disk);
  for (const c of cases) {
    if (rows.length >= count) break;
    const files = new OverlaySourceFiles(disk, c.changes);
    const t0 = process.cpuUsage();
    let result;
    try {
      result = cover(session, base, { files, added: c.added });
    } catch (e) {
      process.stderr.write(`kbuild-oracle: cover ${arch} ${c.name}: ${(e as Error).message}\n`);
      continue;
    }
    const t = process.cpuUsage(t0);
    const key = (l: { file: string; line: number }): string => `${l.file}:${l.line}`;
    const wanted = result.lines.filter((l) => l.config !== undefined);
    const isSource = (f: string): boolean => /\.[chS]$/.test(f);
    const compiled = new Set<string>();
    let rejected = 0;
    const confChanged: string[] = [];
    for (const config of result.configs) {
      const configFile = path.join(out, '.config');
      const written = writeDotConfig(config.config);
      fs.writeFileSync(configFile, written);
      runConf(['--syncconfig'], configFile);
      // Unchanged means every setting line, "# ... is not set" ones included, in the same order (conf's menu comments aside).
      const before = settingLines(written);
      const afterLines = settingLines(fs.readFileSync(configFile, 'utf8'));
      const beforeSet = new Set(before);
      const afterSet = new Set(afterLines);
      const changed = [...before.filter((l) => !afterSet.has(l)).map((l) => `-${l}`), ...afterLines.filter((l) => !beforeSet.has(l)).map((l) => `+${l}`)];
      if (changed.length === 0 && before.join('\n') !== afterLines.join('\n')) changed.push('(same lines, another order)');
      if (changed.length) rejected++;
      confChanged.push(...changed);
      const made = makeBuilt(tree, out, arch, env.SRCARCH!, readValues(configFile));
      for (const file of new Set(wanted.filter((l) => isSource(l.file)).map((l) => l.file))) {
        // A source counts when make compiles its object; a header by its own #if blocks, as cover reads it.
        if (!file.endsWith('.h') && !made.has(file.replace(/\.[cS]$/, '.o'))) continue;
        const text = c.changes[file];
        if (typeof text !== 'string') continue;
        let kept: Set<number>;
        try {
          kept = gccLines(preprocessable(text), out, tree, made.modules.has(file.replace(/\.[cS]$/, '.o')));
        } catch {
          continue;
        }
        for (const l of wanted) if (l.file === file && kept.has(l.line)) compiled.add(key(l));
      }
    }
    const sourceLines = wanted.filter((l) => isSource(l.file));
    const row: CoverRow = {
      name: c.name,
      lines: result.lines.length,
      coverable: sourceLines.length,
      compiled: compiled.size,
      buildLines: wanted.length - sourceLines.length,
      configs: result.configs.length,
      changes: result.configs.reduce((n, x) => n + x.changes.length, 0),
      cpuMs: Math.round((t.user + t.system) / 1000),
      rejected,
      confChanged,
      missed: sourceLines.map(key).filter((k) => !compiled.has(k)),
    };
    rows.push(row);
    process.stderr.write(
      `kbuild-oracle: cover ${arch} ${c.name}: ${row.compiled}/${row.coverable} source lines compiled, ${row.buildLines} build lines, of ${row.lines} lines; ${row.configs} configs, ${row.changes} changes, ${row.cpuMs} ms CPU${rejected ? `, ${rejected} changed by conf: ${confChanged.slice(0, 5).join(' ')}` : ''}\n`,
    );
    if (outFile) fs.writeFileSync(outFile, `${JSON.stringify(rows, null, 2)}\n`);
  }
  const sum = (f: (r: CoverRow) => number): number => rows.reduce((n, r) => n + f(r), 0);
  const cpu = rows.map((r) => r.cpuMs).sort((a, b) => a - b);
  process.stdout.write(
    `cover ${arch}: ${rows.length} patches; source lines compiled ${sum((r) => r.compiled)}/${sum((r) => r.coverable)} coverable; ${sum((r) => r.buildLines)} makefile/Kconfig lines (${sum((r) => r.lines)} counted); ` +
      `configurations ${sum((r) => r.configs)}, ${sum((r) => r.rejected)} changed by conf; median CPU per patch ${cpu[Math.floor(cpu.length / 2)] ?? 0} ms\n`,
  );
  for (const r of rows) if (r.missed.length) process.stdout.write(`  missed ${r.name}: ${r.missed.join(',')}\n`);
}

main();
