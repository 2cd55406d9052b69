/** `kconfsat listnewconfig [CONFIG]`: conf --listnewconfig's lines, from listNewConfig. */
import * as fs from 'node:fs';
import { formatNewConfig, listNewConfig } from '../analysis/newconfig.js';
import { readConfig } from './commands.js';
import { dotConfigPrefix, EXIT, openSession, printJson, type GlobalOptions } from './context.js';

export function runListNewConfig(file: string | undefined, g: GlobalOptions): number {
  // like conf: without a .config every symbol is new; a file named on the command line must exist
  const configFile = file ?? process.env.KCONFIG_CONFIG ?? '.config';
  const config = file !== undefined || fs.existsSync(configFile) ? readConfig(configFile) : undefined;
  const symbols = listNewConfig(openSession(g), config);
  if (g.json) printJson(g, symbols);
  else g.output.stdout(formatNewConfig(symbols, dotConfigPrefix().prefix));
  return symbols.length > 0 ? EXIT.no : EXIT.yes;
}
