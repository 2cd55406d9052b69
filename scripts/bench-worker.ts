/**
 * One measurement of one bench stage in this (fresh) process:
 *   node dist/scripts/bench-worker.js STAGE TREE ARCH
 * prints {"value": number} on stdout.
 */
import { STAGES } from './bench-stages.js';

const [name, tree, arch] = process.argv.slice(2);
const stage = STAGES.find((s) => s.name === name);
if (!stage || tree === undefined || arch === undefined) {
  process.stderr.write(`usage: bench-worker.js STAGE TREE ARCH (stages: ${STAGES.map((s) => s.name).join(', ')})\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify({ value: stage.measure({ tree, arch }) }) + '\n');
