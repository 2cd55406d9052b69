/**
 * conf --listnewconfig: the symbols conf would ask about in oldconfig, each
 * with the value it has now. conf walks its menu tree (check_conf) into every
 * visible entry and lists a named symbol without a user value whose prompt
 * is visible above what selects force (6.1 also lists a named choice that is
 * y); both 6.1 and 6.12 print `CONFIG_X=value`, n included.
 */
import { DEFAULT_PREFIX, writeDotConfig, type DotConfig } from '../io/dotconfig.js';
import { InteractiveConf } from '../model/evaluate.js';
import { hasRules } from '../parse/dialect.js';
import { menuIsVisible, menuTree, type MenuNode } from '../model/menu.js';
import { Y, type KconfigModel, type KSymbol } from '../model/types.js';
import { confReads } from './check.js';
import type { Session } from './session.js';

export interface NewConfigSymbol {
  /** The symbol's name (a named 6.1 choice: the name written after `choice`). */
  name: string;
  type: KSymbol['type'];
  /** Its value now, as conf prints it. */
  value: string;
}

/** The NEW symbols of `config` (undefined: no .config, everything is new), in conf's order. */
export function listNewConfig(session: Session, config?: DotConfig): NewConfigSymbol[] {
  const read = config ? confReads(session, config, 'complete') : undefined;
  return newSymbols(session.model, read?.lines, read?.inputs);
}

/** listNewConfig on the lines conf reads (in file order) and the free inputs' values. */
export function newSymbols(model: KconfigModel, lines: [string, string][] | undefined, inputs?: Map<number, string>): NewConfigSymbol[] {
  const conf = new InteractiveConf(model, lines, inputs);
  const v61 = !hasRules(model.dialect, '6.12');
  const out: NewConfigSymbol[] = [];
  const visit = (node: MenuNode): void => {
    if (!menuIsVisible(node, conf)) return;
    const sym = node.entry?.symbol;
    if (sym && !conf.hasValue(sym) && (conf.isChangeable(sym) || (v61 && sym.ownChoice && conf.tristate(sym) === Y))) {
      const name = sym.ownChoice ? sym.ownChoice.name : sym.name;
      if (name !== undefined) out.push({ name, type: sym.type, value: conf.stringValue(sym) });
    }
    node.children.forEach(visit);
  };
  visit(menuTree(model));
  return out;
}

/** The lines conf prints: `CONFIG_X=value`, strings quoted and escaped as in a .config. */
export function formatNewConfig(symbols: NewConfigSymbol[], prefix = DEFAULT_PREFIX): string {
  return symbols
    .map((s) => (s.type === 'string' ? writeDotConfig([s], { prefix }) : `${prefix}${s.name}=${s.value}\n`))
    .join('');
}
