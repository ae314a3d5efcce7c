import { describe, expect, it } from 'vitest';
import { durationMs, parseDuration } from '../../functions/domain/duration.js';

const H = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['PT1H', 0, H],
    ['PT30M', 0, 30 * 60_000],
    ['PT1H30M', 0, 1.5 * H],
    ['PT24H', 0, 24 * H],
    ['PT90M', 0, 90 * 60_000],
    ['PT45S', 0, 45_000],
    ['PT0.5S', 0, 500],
    ['P1D', 1, 0],
    ['P3D', 3, 0],
    ['P1DT4H', 1, 4 * H],
    ['P1W', 7, 0],
    ['P1W2D', 9, 0],
    ['P0DT1M', 0, 60_000],
  ])('%s → %i days + %i ms', (iso, days, ms) => {
    expect(parseDuration(iso)).toEqual({ days, ms });
  });

  it.each([
    ['', 'empty'],
    ['P', 'no components'],
    ['PT', 'T with nothing'],
    ['P1DT', 'trailing T'],
    ['PT0H', 'zero'],
    ['P0D', 'zero'],
    ['P1Y', 'years'],
    ['P1M', 'months'],
    ['P1Y2M3D', 'years and months'],
    ['pt1h', 'lower case'],
    ['PT1.5H', 'fraction of an hour'],
    ['P1.5D', 'fraction of a day'],
    ['1H', 'no P'],
    ['PT1H ', 'trailing space'],
    ['PT-1H', 'negative'],
    ['P1H', 'hours without T'],
    ['PT1M1H', 'wrong order'],
    ['P1D1W', 'wrong order'],
  ])('rejects %j (%s)', (iso) => {
    expect(parseDuration(iso)).toBeUndefined();
  });

  it('durationMs counts days as 24 hours', () => {
    expect(durationMs(parseDuration('P1DT4H')!)).toBe(28 * H);
  });
});
