/**
 * What conf's line-oriented front end prints on stdout (scripts/kconfig/conf.c
 * of 6.1 and 6.12: conf, conf_sym, conf_string, conf_choice, check_conf) for
 * --oldaskconfig and --oldconfig, fed `stdin`, stdin not being a terminal (so
 * conf echoes every line it reads). Built from kconfsat's menu tree and
 * interactive state, so comparing it with conf's transcript tests both: the
 * order and nesting of entries, prompt visibility, which symbols are NEW, the
 * values and ranges offered, and how each answer changes the rest.
 */
import { InteractiveConf } from '../../src/model/evaluate.js';
import { hasRules } from '../../src/parse/dialect.js';
import { isMenu, menuIsVisible, menuTree, parentMenu, type MenuNode } from '../../src/model/menu.js';
import { M, N, Y, type KconfigModel, type KSymbol, type Tristate } from '../../src/model/types.js';

export interface TranscriptOptions {
  mode: 'oldaskconfig' | 'oldconfig';
  /** What conf reads on stdin; after it, end of file. */
  stdin: string;
  /** The .config lines conf reads, in order; undefined: there is no .config. */
  config?: [string, string][];
  /** Questions after which the run counts as endless (conf re-asks a value it cannot take forever). */
  maxQuestions?: number;
}

export interface Transcript {
  stdout: string;
  /** Exit status conf would have (6.12 stops on an int/hex it cannot set at end of input). */
  status: number;
  /** conf would ask forever. */
  endless: boolean;
  /** conf printed a help text (not simulated: the transcript has a placeholder). */
  help: boolean;
  conf: InteractiveConf;
}

class Endless extends Error {}
class Exit extends Error {}

export function confTranscript(model: KconfigModel, options: TranscriptOptions): Transcript {
  const rework = hasRules(model.dialect, '6.12');
  const conf = new InteractiveConf(model, options.config);
  const root = menuTree(model);
  const rootTitle = model.mainmenu ?? 'Main menu';
  let out = '';
  let mode = options.mode;
  let indent = 1;
  let rootEntry: MenuNode = root;
  let confCnt = 0;
  let line = '';
  let input = options.stdin;
  let eof = false;
  let help = false;
  let questions = 0;
  const maxQuestions = options.maxQuestions ?? 500;
  const pad = (n: number): string => ' '.repeat(Math.max(0, n));
  /** printf("%*c", width, c) */
  const padChar = (width: number, c: string): string => pad(width - 1) + c;

  /** Every question asked or re-asked counts: conf may loop without reading. */
  const tick = (): void => {
    if (++questions > maxQuestions) throw new Endless();
  };
  /** fgets into `line` (left unchanged at end of file), echoed as conf does without a terminal. */
  const xfgets = (): void => {
    if (input.length === 0) eof = true;
    else {
      const nl = input.indexOf('\n');
      line = nl < 0 ? input : input.slice(0, nl + 1);
      input = input.slice(line.length);
      if (nl < 0) eof = true;
    }
    out += line;
  };
  const strip = (s: string): string => s.replace(/^\s+|\s+$/g, '');
  const printHelp = (): void => {
    help = true;
    out += '\n<help>\n';
  };
  const visible = (node: MenuNode): boolean => menuIsVisible(node, conf);
  const promptOf = (node: MenuNode): string => {
    const e = node.entry;
    if (!e) return rootTitle;
    return e.prompt ? e.prompt.text : e.title!;
  };
  const nameOf = (node: MenuNode): string | undefined => {
    const sym = node.entry!.symbol!;
    return sym.ownChoice ? sym.ownChoice.name : sym.name;
  };

  const askValue = (node: MenuNode, def: string): boolean => {
    const sym = node.entry!.symbol!;
    if (!conf.hasValue(sym)) out += '(NEW) ';
    line = '\n';
    if (!conf.isChangeable(sym) || (mode === 'oldconfig' && conf.hasValue(sym))) {
      out += `${def}\n`;
      return false;
    }
    xfgets();
    return true;
  };

  const confSym = (node: MenuNode): void => {
    const sym = node.entry!.symbol!;
    for (;;) {
      tick();
      out += `${pad(indent - 1)}${promptOf(node)} `;
      const name = nameOf(node);
      if (name !== undefined) out += `(${name}) `;
      const old = conf.tristate(sym);
      out += `[${'NMY'[old]}`;
      for (const [t, c] of [[N, 'n'], [M, 'm'], [Y, 'y']] as const) if (old !== t && conf.tristateWithinRange(sym, t)) out += `/${c}`;
      out += '/?] ';
      if (!askValue(node, conf.stringValue(sym))) return;
      line = strip(line);
      let value: Tristate;
      const c = line[0];
      const rest = line.slice(1);
      if (c === 'n' || c === 'N') {
        if (rest && rest !== 'o') continue;
        value = N;
      } else if (c === 'm' || c === 'M') {
        if (rest) continue;
        value = M;
      } else if (c === 'y' || c === 'Y') {
        if (rest && rest !== 'es') continue;
        value = Y;
      } else if (c === undefined) value = old;
      else if (c === '?') {
        printHelp();
        continue;
      } else continue;
      if (conf.setTristate(sym, value)) return;
      printHelp();
    }
  };

  const confString = (node: MenuNode): void => {
    const sym = node.entry!.symbol!;
    for (;;) {
      tick();
      out += `${pad(indent - 1)}${promptOf(node)} (${sym.name}) `;
      let def: string | undefined = conf.stringValue(sym);
      out += `[${def}] `;
      if (!askValue(node, def)) return;
      if (line[0] === '\n') {
        // keep def
      } else if (line[0] === '?' && line[1] === '\n') {
        printHelp();
        def = undefined;
      } else def = line.slice(0, -1);
      if (def !== undefined && conf.setString(sym, def)) return;
      if (rework && eof) {
        // 6.12's conf stops rather than re-asking at end of input
        throw new Exit();
      }
    }
  };

  const confChoice = (node: MenuNode): void => {
    const sym = node.entry!.symbol!;
    const choice = sym.ownChoice!;
    let isNew = !rework && !conf.hasValue(sym);
    if (!rework) {
      if (conf.isChangeable(sym)) {
        confSym(node);
        const v = conf.tristate(sym);
        if (v !== Y) return;
      } else {
        const v = conf.tristate(sym);
        if (v === N) return;
        if (v === M) {
          out += `${pad(indent - 1)}${promptOf(node)}\n`;
          return;
        }
      }
    }
    for (;;) {
      tick();
      out += `${pad(indent - 1)}${promptOf(node)}\n`;
      const defSym = conf.choiceValue(choice);
      let cnt = 0;
      let def = 0;
      line = '';
      for (const child of node.children) {
        if (!visible(child)) continue;
        const csym = child.entry!.symbol;
        if (!csym) {
          out += `${padChar(indent, '*')} ${promptOf(child)}\n`;
          continue;
        }
        cnt++;
        if (csym === defSym) {
          def = cnt;
          out += padChar(indent, '>');
        } else out += padChar(indent, ' ');
        out += ` ${cnt}. ${promptOf(child)}`;
        const name = nameOf(child);
        if (name !== undefined) out += ` (${name})`;
        if (!conf.hasValue(csym)) {
          isNew = true;
          out += ' (NEW)';
        }
        out += '\n';
      }
      out += `${pad(indent - 1)}choice`;
      if (cnt === 1) out += '[1]: 1\n';
      else {
        out += `[1-${cnt}?]: `;
        if (mode === 'oldconfig' && !isNew) {
          cnt = def;
          out += `${cnt}\n`;
        } else {
          xfgets();
          line = strip(line);
          if (line[0] === '?') {
            printHelp();
            continue;
          }
          if (!line[0]) cnt = def;
          else if (/[0-9]/.test(line[0])) cnt = parseInt(line, 10);
          else continue;
        }
      }
      const chosen = node.children.find((child) => child.entry!.symbol && visible(child) && --cnt === 0);
      if (!chosen) continue;
      if (line && line.endsWith('?')) {
        printHelp();
        continue;
      }
      if (rework) {
        conf.setChoice(choice, descendants(node), chosen.entry!.symbol!);
        return;
      }
      conf.setTristate(chosen.entry!.symbol!, Y);
      for (const c of chosen.children) {
        indent += 2;
        confNode(c);
        indent -= 2;
      }
      return;
    }
  };

  const confNode = (node: MenuNode): void => {
    if (!visible(node)) return;
    const e = node.entry;
    if (isMenu(node) && mode !== 'oldaskconfig' && rootEntry !== node) {
      checkConf(node);
      return;
    }
    if (isMenu(node) || e?.kind === 'comment') {
      const star = padChar(indent, '*');
      out += `${star}\n${star} ${promptOf(node)}\n${star}\n`;
    }
    const sym = e?.symbol;
    if (sym) {
      if (sym.ownChoice) {
        confChoice(node);
        if (rework || conf.tristate(sym) !== M) return;
      } else if (sym.type === 'int' || sym.type === 'hex' || sym.type === 'string') confString(node);
      else confSym(node);
      indent += 2;
    }
    for (const c of node.children) confNode(c);
    if (sym) indent -= 2;
  };

  const checkConf = (node: MenuNode): void => {
    if (!visible(node)) return;
    const sym = node.entry?.symbol;
    if (sym && !conf.hasValue(sym) && (conf.isChangeable(sym) || (!rework && sym.ownChoice && conf.tristate(sym) === Y))) {
      if (!confCnt++) out += '*\n* Restart config...\n*\n';
      rootEntry = parentMenu(node);
      confNode(rootEntry);
    }
    for (const c of node.children) checkConf(c);
  };

  let status = 0;
  let endless = false;
  try {
    if (mode === 'oldaskconfig') {
      rootEntry = root;
      confNode(root);
      mode = 'oldconfig';
    }
    do {
      confCnt = 0;
      checkConf(root);
      if (questions > maxQuestions) throw new Endless();
    } while (confCnt);
  } catch (e) {
    if (e instanceof Endless) endless = true;
    else if (e instanceof Exit) status = 1;
    else throw e;
  }
  return { stdout: out, status, endless, help, conf };
}

/** Every symbol entry under a node, in menu order (menu_for_each_sub_entry). */
function descendants(node: MenuNode): KSymbol[] {
  return node.children.flatMap((c) => [...(c.entry?.symbol ? [c.entry.symbol] : []), ...descendants(c)]);
}
