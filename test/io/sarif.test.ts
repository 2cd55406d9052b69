import { describe, expect, it } from 'vitest';
import type { AuditGroup } from '../../src/analysis/audit.js';
import { auditSarif, SARIF_SCHEMA, UNMET_DEPENDENCY_RULE } from '../../src/io/sarif.js';

const finding = (arch: string, confirmed?: boolean): AuditGroup['findings'][number] => ({
  arch,
  selector: 'XEN_UNPOPULATED_ALLOC',
  selectee: 'ZONE_DEVICE',
  loc: { file: 'drivers/xen/Kconfig', line: 13, column: 2 },
  text: 'select ZONE_DEVICE',
  dependsOn: 'MEMORY_HOTPLUG && ARCH_HAS_PTE_DEVMAP',
  selectedAt: 'y',
  dependsAt: 'n',
  witness: [],
  ...(confirmed !== undefined ? { confirmed } : {}),
});

const group = (findings: AuditGroup['findings']): AuditGroup => ({
  ...findings[0]!,
  arches: findings.map((f) => f.arch!),
  findings,
});

interface Log {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    originalUriBaseIds: { SRCROOT: { uri: string } };
    results: {
      ruleId: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn?: number } } }[];
      properties: { arches: string[]; confirmedOn?: string[] };
    }[];
  }[];
}

describe('auditSarif', () => {
  const log = auditSarif([group([finding('i386', true), finding('x86', false)])], { tree: '/src/linux', toolVersion: '0.1.0' }) as Log;

  it('is a SARIF 2.1.0 log from kconfsat with the rule it reports', () => {
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver.name).toBe('kconfsat');
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual([UNMET_DEPENDENCY_RULE]);
    expect(log.runs[0]!.originalUriBaseIds.SRCROOT.uri).toBe('file:///src/linux/');
  });

  it('has one result per grouped finding, at the select line, naming selector, selectee, dependency and arches', () => {
    const [result, ...rest] = log.runs[0]!.results;
    expect(rest).toEqual([]);
    expect(result!.ruleId).toBe(UNMET_DEPENDENCY_RULE);
    expect(result!.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'drivers/xen/Kconfig', uriBaseId: 'SRCROOT' },
      region: { startLine: 13, startColumn: 2 },
    });
    expect(result!.message.text).toContain('XEN_UNPOPULATED_ALLOC selects ZONE_DEVICE');
    expect(result!.message.text).toContain('MEMORY_HOTPLUG && ARCH_HAS_PTE_DEVMAP');
    expect(result!.properties.arches).toEqual(['i386', 'x86']);
    expect(result!.properties.confirmedOn).toEqual(['i386']);
  });

  it('round-trips through JSON and has no results when there are no findings', () => {
    const empty = JSON.parse(JSON.stringify(auditSarif([], { tree: '/t', toolVersion: '1' }))) as Log;
    expect(empty.runs[0]!.results).toEqual([]);
  });
});
