import { describe, expect, it } from 'vitest';
import { AUDIT_CSV_HEADER, auditCsv, csvField, writeCsv } from '../../src/io/csv.js';

describe('csv', () => {
  it('quotes fields with commas, quotes or line breaks and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    // A spreadsheet would run these as formulas (issue 18): the leading quote keeps them text.
    expect(['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx'].map(csvField)).toEqual(['"\'=HYPERLINK(""x"")"', "'+1", "'-2+3", "'@SUM(A1)", "'\tx"]);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(undefined)).toBe('');
    expect(csvField(13)).toBe('13');
    expect(csvField(false)).toBe('false');
  });

  it('writes a header and CRLF-terminated rows', () => {
    expect(writeCsv(['a', 'b'], [['1', 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it('writes one audit row per (arch, finding), confirmation and witness file included', () => {
    const f = {
      arch: 'i386',
      selector: 'A',
      selectee: 'B',
      loc: { file: 'Kconfig', line: 3, column: 2 },
      text: 'select B if C',
      dependsOn: 'X && (Y || Z)',
      selectedAt: 'y' as const,
      dependsAt: 'n' as const,
      witness: [],
    };
    const text = auditCsv([f, { ...f, arch: 'x86', confirmed: true }], (x) => (x.arch === 'x86' ? '/out/x86.config' : undefined));
    expect(text.split('\r\n')).toEqual([
      AUDIT_CSV_HEADER.join(','),
      'i386,Kconfig,3,A,B,y,n,X && (Y || Z),select B if C,,',
      'x86,Kconfig,3,A,B,y,n,X && (Y || Z),select B if C,true,/out/x86.config',
      '',
    ]);
  });
});
