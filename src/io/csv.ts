/**
 * CSV (RFC 4180) for research tables: the audit as one row per (arch, finding).
 */
import type { AuditFinding } from '../analysis/audit.js';

/**
 * A field is quoted when it holds a comma, quote or line break; quotes inside
 * are doubled. Text a spreadsheet would run as a formula (starting with `=`,
 * `+`, `-`, `@`, tab or carriage return, OWASP's list) gets a leading `'`; a
 * lone `-` (the placeholder of an empty cell) is no formula and stays as it is,
 * and a number stays a number.
 */
export function csvField(value: string | number | boolean | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^([=+@\t\r]|-.)/s.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function writeCsv(header: string[], rows: (string | number | boolean | undefined)[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

export const AUDIT_CSV_HEADER = ['arch', 'file', 'line', 'selector', 'selectee', 'selected_at', 'depends_at', 'depends_on', 'select', 'confirmed', 'witness'];

/** `witnessFile` names the witness .config written for a finding, when one was. */
export function auditCsv(findings: (AuditFinding & { confirmed?: boolean })[], witnessFile: (f: AuditFinding) => string | undefined = () => undefined): string {
  return writeCsv(
    AUDIT_CSV_HEADER,
    findings.map((f) => [
      f.arch,
      f.loc.file,
      f.loc.line,
      f.selector,
      f.selectee,
      f.selectedAt,
      f.dependsAt,
      f.dependsOn,
      f.text,
      'confirmed' in f ? f.confirmed : undefined,
      witnessFile(f),
    ]),
  );
}
