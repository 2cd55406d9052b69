/**
 * Prints deadSymbolsByGroups' answer for one tree and arch as JSON (run by
 * vite-node in a child process: on Linux it is a minute of synchronous work).
 * Arguments: TREE ARCH.
 */
import { Session } from '../../src/analysis/session.js';
import { deadSymbolsByGroups } from './dead-groups.js';

const [tree, arch] = process.argv.slice(2);
process.stdout.write(JSON.stringify(deadSymbolsByGroups(Session.open({ tree: tree!, arch: arch! }))));
