/**
 * conf-env: the environment conf runs with, for scripts/conf-reference (bash),
 * from the one place that computes it (src/workflow/reference.ts).
 *
 *   node dist/scripts/conf-env.js TREE ARCH [CORPUS]
 *
 * prints SRCARCH, then the manifest's defconfig for ARCH (or an empty line),
 * then one NAME=VALUE line per variable. CORPUS defaults to
 * linux-VERSION.PATCHLEVEL of TREE's Makefile.
 */
import { KconfsatError } from '../src/errors.js';
import { confEnvironment, linuxCorpus, manifestEntry } from '../src/workflow/reference.js';

const [tree, arch, name] = process.argv.slice(2);
if (tree === undefined || arch === undefined) {
  process.stderr.write('usage: conf-env TREE ARCH [CORPUS]\n');
  process.exit(2);
}
try {
  const corpus = name !== undefined ? manifestEntry(name) : linuxCorpus(tree);
  const env = confEnvironment(tree, arch, corpus);
  const lines = [env.SRCARCH ?? arch, corpus.defconfigs?.[arch] ?? '', ...Object.entries(env).map(([k, v]) => `${k}=${v}`)];
  process.stdout.write(`${lines.join('\n')}\n`);
} catch (e) {
  if (!(e instanceof KconfsatError)) throw e;
  process.stderr.write(`conf-env: error: ${e.format()}\n`);
  process.exit(2);
}
