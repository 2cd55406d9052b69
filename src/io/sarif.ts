/**
 * The audit as SARIF 2.1.0, the format code-scanning services (GitHub, GitLab,
 * IDE viewers) read: one result per finding, located at its `select` line so
 * the warning shows on the source.
 */
import { pathToFileURL } from 'node:url';
import type { AuditGroup } from '../analysis/audit.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const UNMET_DEPENDENCY_RULE = 'unmet-direct-dependency';

export interface SarifOptions {
  /** The tree the locations are relative to (SARIF's SRCROOT). */
  tree: string;
  toolVersion: string;
}

export function auditSarif(groups: AuditGroup[], options: SarifOptions): object {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kconfsat',
            version: options.toolVersion,
            rules: [
              {
                id: UNMET_DEPENDENCY_RULE,
                name: 'UnmetDirectDependency',
                shortDescription: { text: 'select can force a symbol on while its direct dependencies are unmet' },
                fullDescription: {
                  text:
                    'Some valid configuration lets this select set its target above the target\'s own "depends on": ' +
                    'conf then prints "WARNING: unmet direct dependencies detected" and the build may break.',
                },
                defaultConfiguration: { level: 'warning' },
              },
            ],
          },
        },
        // Trailing slash: SARIF resolves relative URIs against a directory.
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(options.tree).href.replace(/\/?$/, '/')}` } },
        results: groups.map(result),
      },
    ],
  };
}

function result(g: AuditGroup): object {
  const where = g.arches.length ? ` (${g.arches.join(', ')})` : '';
  const confirmed = g.findings.filter((f) => f.confirmed !== undefined);
  const region: Record<string, number> = { startLine: g.loc.line };
  if (g.loc.column) region.startColumn = g.loc.column;
  return {
    ruleId: UNMET_DEPENDENCY_RULE,
    level: 'warning',
    message: {
      text:
        `${g.selector} selects ${g.selectee}, whose direct dependencies can be unmet: ` +
        `depends on ${g.dependsOn}${where}`,
    },
    locations: [{ physicalLocation: { artifactLocation: { uri: g.loc.file, uriBaseId: 'SRCROOT' }, region } }],
    partialFingerprints: { selectLocation: `${g.selector}->${g.selectee}@${g.loc.file}:${g.loc.line}` },
    properties: {
      selector: g.selector,
      selectee: g.selectee,
      dependsOn: g.dependsOn,
      arches: g.arches,
      ...(confirmed.length ? { confirmedOn: confirmed.filter((f) => f.confirmed).map((f) => f.arch ?? '') } : {}),
    },
  };
}
