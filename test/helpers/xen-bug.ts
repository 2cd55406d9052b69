/**
 * Linux 6.1 with the historical XEN bug put back: drivers/xen/Kconfig's
 * `depends on ZONE_DEVICE` under XEN_UNPOPULATED_ALLOC turned back into
 * `select ZONE_DEVICE`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A copy of `tree` under `dir` made of hard links (real files inside the copy,
 * so the tree-escape check holds), with drivers/xen/Kconfig unlinked and
 * rewritten: the original tree is never written.
 */
export function treeWithXenBug(tree: string, dir: string): string {
  const farm = path.join(dir, 'linux');
  execFileSync('cp', ['-al', path.resolve(tree), farm]);
  const file = path.join(farm, 'drivers/xen/Kconfig');
  const original = fs.readFileSync(file, 'utf8');
  const patched = original.replace(/(\nconfig XEN_UNPOPULATED_ALLOC\n(?:\t.*\n)*?)\tdepends on ZONE_DEVICE\n/, '$1\tselect ZONE_DEVICE\n');
  if (patched === original) throw new Error('drivers/xen/Kconfig: no `depends on ZONE_DEVICE` under XEN_UNPOPULATED_ALLOC');
  fs.rmSync(file);
  fs.writeFileSync(file, patched);
  return farm;
}
