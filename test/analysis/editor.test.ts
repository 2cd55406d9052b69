import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { EditorWorkspace, modelLines, type EditorDiagnostic } from '../../src/analysis/editor.js';
import { Session } from '../../src/analysis/session.js';
import { requireEnv } from '../helpers/requires.js';
import { scratchDir } from '../helpers/scratch.js';

const BUGGY = 'corpora/examples/xen-zone-device/buggy';
const XEN = 'drivers/xen/Kconfig';
const xenText = fs.readFileSync(`${BUGGY}/${XEN}`, 'utf8');

/** Diagnostics without their findings' witnesses. */
function withoutWitnesses(diagnostics: EditorDiagnostic[]): unknown[] {
  return diagnostics.map((d) => ({ ...d, finding: d.finding && { ...d.finding, findings: d.finding.findings.map((f) => ({ ...f, witness: [] })) } }));
}

function workspace(tree = BUGGY): EditorWorkspace {
  return new EditorWorkspace({ load: { tree }, arches: ['i386', 'x86_64'] });
}

describe('EditorWorkspace on the seed tree', () => {
  test('the select of ZONE_DEVICE is the only finding of drivers/xen/Kconfig, at its line, with a witness per arch', () => {
    const ws = workspace();
    const diags = ws.diagnostics(XEN);
    expect(diags.map((d) => [d.kind, d.loc.line, d.loc.column, d.endColumn, d.arches])).toEqual([['unmet-dependency', 13, 9, 20, ['i386', 'x86_64']]]);
    const witness = diags[0]!.finding!.findings.find((f) => f.arch === 'i386')!.witness;
    expect(witness.find((e) => e.name === 'XEN_UNPOPULATED_ALLOC')?.value).toBe('y');
    expect(witness.find((e) => e.name === 'ARCH_HAS_PTE_DEVMAP')?.value ?? 'n').toBe('n');
    expect(workspace('corpora/examples/xen-zone-device/fixed').diagnostics(XEN)).toEqual([]);
  });

  test('hover: values per arch, and on i386 only why ZONE_DEVICE can never be y with its dependencies met', () => {
    const hover = workspace().hover(XEN, 13, 12)!;
    expect(hover.symbol).toBe('ZONE_DEVICE');
    expect(hover.prompts).toEqual(['Device memory (pmem, HMM, etc...) hotplug support']);
    const [i386, x86] = hover.arches;
    expect(i386!.values.values).toEqual(['n', 'y']); // y only because the select forces it
    expect(i386!.neverY?.chain.map((s) => s.symbol)).toContain('ARCH_HAS_PTE_DEVMAP');
    expect(x86!.arch).toBe('x86_64');
    expect(x86!.neverY).toBeUndefined();
  });

  test('definition, references and completion across source', () => {
    const ws = workspace();
    expect(ws.definition(XEN, 13, 12)).toEqual([{ file: 'mm/Kconfig', line: 30, column: 8 }]);
    expect(ws.references(XEN, 13, 12)).toEqual([
      { file: 'mm/Kconfig', line: 30, column: 8 },
      { file: XEN, line: 13, column: 9 },
    ]);
    expect(ws.completion(XEN, 13, 13).map((c) => c.name)).toEqual(['ZONE_DEVICE']);
    expect(ws.symbolAt(XEN, 1, 1)).toBe('menu');
    expect(ws.definition(XEN, 1, 1)).toEqual([]);
  });

  test('the preferred code action turns the select into depends on, verified on both arches', async () => {
    const fixes = await workspace().fixes(XEN, 13);
    expect(fixes[0]!.preferred).toBe(true);
    expect(fixes[0]!.repair.edit).toEqual({ file: XEN, line: 13, deleteCount: 1, insert: ['\tdepends on ZONE_DEVICE'] });
    expect(fixes[0]!.repair.checkedOn).toEqual(['i386', 'x86_64']);
    expect(fixes.filter((f) => f.preferred)).toHaveLength(1);
  }, 60_000);

  test('edits: comments and blank lines keep the sessions; a changed line reloads; errors, undefined and dead symbols at their lines', () => {
    const ws = workspace();
    ws.diagnostics(XEN);
    expect(ws.loads).toBe(1);
    ws.update(XEN, `${xenText.replace('# The bug:', '# The famous bug:')}\n# A comment at the end.\n\n`);
    expect(ws.diagnostics(XEN).map((d) => d.loc.line)).toEqual([13]);
    expect(ws.loads).toBe(1);
    const mm = fs.readFileSync(`${BUGGY}/mm/Kconfig`, 'utf8');
    ws.update('mm/Kconfig', mm.replace('Device memory hotplug support allows', 'Device memory hotplug lets'));
    expect(ws.diagnostics(XEN).map((d) => d.loc.line)).toEqual([13]);
    expect(ws.loads).toBe(1);
    ws.close('mm/Kconfig');

    ws.update(XEN, xenText.replace('\tselect ZONE_DEVICE\n', '\tdepends on ZONE_DEVICE\n'));
    expect(ws.diagnostics(XEN)).toEqual([]);
    expect(ws.loads).toBe(2);

    ws.update(XEN, xenText.replace('\tdefault y\n', '\tdefault y\n\tdepends on NO_SUCH_SYMBOL\n'));
    const undef = ws.diagnostics(XEN).filter((d) => d.kind === 'undefined');
    expect(undef.map((d) => [d.loc.line, d.loc.column, d.severity, d.message])).toEqual([[7, 13, 'warning', 'NO_SUCH_SYMBOL is not defined anywhere in the tree: it is always n']]);
    // Depending on a symbol never defined leaves XEN_BALLOON dead too.
    expect(ws.diagnostics(XEN).find((d) => d.kind === 'dead')?.symbol).toBe('XEN_BALLOON');

    ws.update(XEN, xenText.replace('\tdefault y\n', '\tdefault y\n\tdepends on X86_64 && !X86_64\n'));
    const dead = ws.diagnostics(XEN).filter((d) => d.kind === 'dead');
    expect(dead.map((d) => [d.symbol, d.loc.line, d.arches])).toEqual([['XEN_BALLOON', 4, ['i386', 'x86_64']]]);
    expect(dead[0]!.reason?.symbols).toContain('XEN_BALLOON');

    ws.update(XEN, xenText.replace('\tdefault y\n', '\tdefault y\n\tdepends on (\n'));
    const errors = ws.diagnostics(XEN);
    expect(errors.map((d) => [d.kind, d.severity, d.loc.line])).toEqual([['load', 'error', 7]]);
    expect(errors[0]!.arches).toEqual(['i386', 'x86_64']);

    ws.close(XEN);
    expect(ws.diagnostics(XEN).map((d) => d.kind)).toEqual(['unmet-dependency']);
  });

  test('an edit of constraints updates the formulas in place, with the diagnostics a fresh load gives', () => {
    const ws = workspace();
    // Opened first, as an editor does: the open files' symbols are the ones whose groups the solvers assume.
    ws.update(XEN, xenText);
    ws.diagnostics(XEN);
    const edits = [
      xenText.replace('\tselect ZONE_DEVICE\n', '\tdepends on ZONE_DEVICE\n'),
      xenText.replace('\tdefault y\n', '\tdefault n\n'),
      xenText.replace('\tdefault y\n', '\tdefault y\n\tdepends on X86_64 && !X86_64\n'),
      xenText,
      // A new symbol (the undefined word): the formula is made anew.
      xenText.replace('\tdefault y\n', '\tdefault y\n\tdepends on NO_SUCH_SYMBOL\n'),
    ];
    for (const [i, text] of edits.entries()) {
      ws.update(XEN, text);
      const fresh = workspace();
      fresh.update(XEN, text);
      // The same diagnostics; a witness is the solver's model, which its history decides: each must be a valid configuration.
      const found = ws.diagnostics(XEN, { reasons: false });
      expect(withoutWitnesses(found)).toEqual(withoutWitnesses(fresh.diagnostics(XEN, { reasons: false })));
      for (const f of found.flatMap((d) => d.finding?.findings ?? [])) {
        const session = Session.open({ tree: BUGGY, arch: f.arch!, overrides: { [XEN]: text } });
        const values = new Map(f.witness.map((e) => [e.name, e.value]));
        expect(session.formula.violatedSymbols(values)).toEqual([]);
        expect([values.get(f.selector), values.get(f.selectee)]).toEqual(['y', 'y']);
      }
      expect(ws.diagnostics(XEN).map((d) => d.reason !== undefined)).toEqual(fresh.diagnostics(XEN).map((d) => d.reason !== undefined));
      expect([ws.loads, ws.updates]).toEqual([i + 2, Math.min(i + 1, 4)]);
    }
  });

  test('the sessions an edit replaced are garbage: a long editing session keeps one model per arch', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const collected = new Set<number>();
    const registry = new FinalizationRegistry<number>((i) => collected.add(i));
    const ws = workspace();
    ws.update(XEN, xenText);
    const edits = 12;
    for (let i = 0; i < edits; i++) {
      ws.update(XEN, i % 2 ? xenText : xenText.replace('\tdefault y\n', '\tdefault n\n'));
      ws.diagnostics(XEN, { reasons: false });
      // The sessions are the workspace's own: read here only to watch their models go.
      for (const session of (ws as unknown as { sessions(): Session[] }).sessions()) registry.register(session.model, i);
    }
    // The first edit loads the sessions (the document was only opened), each later one updates them.
    expect(ws.updates).toBe(edits - 1);
    for (let round = 0; round < 10 && collected.size < edits - 1; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Every edit's models but the last one's (two arches each).
    expect(collected.size).toBe(edits - 1);
  });

  const scratch = scratchDir('editor');
  test('a file changed on disk, not open in the editor, is read again at the next load, whatever parses were kept', () => {
    fs.cpSync(BUGGY, scratch(), { recursive: true });
    const ws = workspace(scratch());
    expect(ws.diagnostics(XEN).map((d) => d.kind)).toEqual(['unmet-dependency']);
    const mm = fs.readFileSync(`${scratch()}/mm/Kconfig`, 'utf8');
    // ZONE_DEVICE without dependencies: nothing a select of it can leave unmet.
    fs.writeFileSync(`${scratch()}/mm/Kconfig`, mm.replace(/\tdepends on (MEMORY_HOTPLUG|MEMORY_HOTREMOVE|SPARSEMEM_VMEMMAP|ARCH_HAS_PTE_DEVMAP)\n/g, ''));
    ws.update(XEN, xenText.replace('\tdefault XEN_BALLOON\n', '\tdefault y\n'));
    expect(ws.diagnostics(XEN)).toEqual([]);
    expect(ws.loads).toBe(2);
  });

  test('model lines: comments, blank lines and help texts read as empty; a continued line and a line ending a help text do not', () => {
    const text = 'config A\n\tbool "a"\n\thelp\n\t  Text.\n\n\t  More.\n# comment\nconfig B\n\tdepends on A && \\\n# not a comment\n';
    expect(modelLines(text).split('\n')).toEqual(['config A', '\tbool "a"', '', '', '', '', '', 'config B', '\tdepends on A && \\', '# not a comment']);
    expect(modelLines(text.replace('Text.', 'Other text.'))).toBe(modelLines(text));
    expect(modelLines(text.replace('\t  More.', '\tMore.'))).not.toBe(modelLines(text));
    expect(modelLines(`${text}\n\n`)).toBe(modelLines(text));
  });

  test('a file outside the tree is a user error', () => {
    expect(() => workspace().diagnostics('../fixed/drivers/xen/Kconfig')).toThrow(/outside the tree/);
    expect(() => workspace().update('/etc/passwd', '')).toThrow(/outside the tree/);
  });
});

const LINUX = requireEnv('KCONFSAT_LINUX_61', 'test/analysis/editor.test.ts (Linux 6.1)');

describe.runIf(LINUX)('EditorWorkspace on Linux 6.1 with the XEN select bug put back in the editor only', () => {
  test('the finding at the select line on i386 only, hover and definition across the tree', () => {
    const original = fs.readFileSync(`${LINUX}/${XEN}`, 'utf8');
    const text = original.replace('\tdepends on ZONE_DEVICE\n\tdefault XEN_BACKEND', '\tselect ZONE_DEVICE\n\tdefault XEN_BACKEND');
    const ws = new EditorWorkspace({ load: { tree: LINUX! }, arches: ['i386'] });
    ws.update(XEN, text);
    const line = text.split('\n').indexOf('\tselect ZONE_DEVICE') + 1;
    const unmet = ws.diagnostics(XEN, { reasons: false }).filter((d) => d.kind === 'unmet-dependency');
    expect(unmet.map((d) => [d.symbol, d.loc.line, d.arches])).toEqual([['ZONE_DEVICE', line, ['i386']]]);
    // The same answer the audit of the whole tree gives for this select.
    expect(unmet[0]!.finding!.findings[0]!.dependsOn).toBe('MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP');
    const hover = ws.hover(XEN, line, 10)!;
    expect(hover.arches[0]!.neverY?.symbols.length).toBeGreaterThan(0);
    expect(ws.definition(XEN, line, 10)).toEqual([{ file: 'mm/Kconfig', line: ws.text('mm/Kconfig')!.split('\n').indexOf('config ZONE_DEVICE') + 1, column: 8 }]);
  }, 300_000);
});
