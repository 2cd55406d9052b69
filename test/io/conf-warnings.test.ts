import { describe, expect, it } from 'vitest';
import { causingPairs, causingSelectors, pairKey, parseConfWarnings } from '../../src/io/conf-warnings.js';

/** conf --olddefconfig's stderr on Linux 6.1 x86_64, for kconfsat's VIDEO_TM6000 witness (captured as is). */
const CAPTURED = `
WARNING: unmet direct dependencies detected for MEDIA_TUNER_XC5000
  Depends on [n]: (MEDIA_ANALOG_TV_SUPPORT [=n] || MEDIA_DIGITAL_TV_SUPPORT [=n] || MEDIA_RADIO_SUPPORT [=n] || MEDIA_SDR_SUPPORT [=n]) && MEDIA_SUPPORT [=y] && I2C [=y]
  Selected by [m]:
  - VIDEO_TM6000 [=m] && STAGING [=y] && STAGING_MEDIA [=y] && MEDIA_SUPPORT [=y] && STAGING_MEDIA_DEPRECATED [=y] && VIDEO_DEV [=y] && I2C [=y] && INPUT [=y] && RC_CORE [=y] && USB [=y]

WARNING: unmet direct dependencies detected for MEDIA_TUNER_XC2028
  Depends on [n]: (MEDIA_ANALOG_TV_SUPPORT [=n] || MEDIA_DIGITAL_TV_SUPPORT [=n] || MEDIA_RADIO_SUPPORT [=n] || MEDIA_SDR_SUPPORT [=n]) && MEDIA_SUPPORT [=y] && I2C [=y]
  Selected by [m]:
  - VIDEO_TM6000 [=m] && STAGING [=y] && STAGING_MEDIA [=y] && MEDIA_SUPPORT [=y] && STAGING_MEDIA_DEPRECATED [=y] && VIDEO_DEV [=y] && I2C [=y] && INPUT [=y] && RC_CORE [=y] && USB [=y]
`;

describe('parseConfWarnings', () => {
  it('reads the blocks conf printed: symbol, dependency level and expression, selectors by level', () => {
    const warnings = parseConfWarnings(CAPTURED);
    expect(warnings.map((w) => [w.symbol, w.dependsAt, w.selectedBy.map((s) => [s.level, s.selector])])).toEqual([
      ['MEDIA_TUNER_XC5000', 'n', [['m', 'VIDEO_TM6000']]],
      ['MEDIA_TUNER_XC2028', 'n', [['m', 'VIDEO_TM6000']]],
    ]);
    expect(warnings[0]!.dependsOn).toMatch(/^\(MEDIA_ANALOG_TV_SUPPORT \[=n\] \|\| .* && I2C \[=y\]$/);
    expect(warnings[0]!.selectedBy[0]!.term).toMatch(/^VIDEO_TM6000 \[=m\] && STAGING \[=y\] && .* && USB \[=y\]$/);
    expect(causingPairs(warnings)).toEqual(new Set([pairKey('MEDIA_TUNER_XC5000', 'VIDEO_TM6000'), pairKey('MEDIA_TUNER_XC2028', 'VIDEO_TM6000')]));
  });

  it('skips conf\'s other output around the blocks (randconfig logs mix stdout in) and CRLF line ends', () => {
    const log = `KCONFIG_SEED=0x1\r\n${CAPTURED.replaceAll('\n', '\r\n')}#\r\n# configuration written to .config\r\n#\r\n`;
    expect(parseConfWarnings(log).map((w) => w.symbol)).toEqual(['MEDIA_TUNER_XC5000', 'MEDIA_TUNER_XC2028']);
    expect(parseConfWarnings('WARNING: unmet direct dependencies detected for X\nno depends line\n')).toEqual([]);
  });

  it('counts only selectors above the dependency level as causing (Depends on [m]: the [m] ones did not)', () => {
    // conf's layout (symbol.c sym_warn_unmet_dep) for a tristate with dependencies at m and selects at y and m.
    const [w] = parseConfWarnings(
      'WARNING: unmet direct dependencies detected for T\n' +
        '  Depends on [m]: D [=m]\n' +
        '  Selected by [y]:\n' +
        '  - A [=y]\n' +
        '  - B [=y] && C [=y]\n' +
        '  Selected by [m]:\n' +
        '  - E [=m]\n',
    );
    expect(w!.selectedBy.map((s) => `${s.level}:${s.selector}`)).toEqual(['y:A', 'y:B', 'm:E']);
    expect(causingSelectors(w!)).toEqual(['A', 'B']);
    expect(causingSelectors({ ...w!, dependsAt: 'n' })).toEqual(['A', 'B', 'E']);
  });
});
