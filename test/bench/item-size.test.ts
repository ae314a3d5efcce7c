/** DynamoDB's item size as the bench counts it (bench/lib/item-size.ts), on items whose size is known by hand. */
import { describe, expect, it } from 'vitest';
import { itemBytes, writeUnits } from '../../bench/lib/item-size.js';

describe('itemBytes', () => {
  it('counts names and values: strings and binaries by bytes, numbers by digit pairs, maps and lists with their overhead', () => {
    expect(itemBytes({ pk: { S: 'CALL#1' } })).toBe(2 + 6);
    expect(itemBytes({ city: { S: 'Kraków' } })).toBe(4 + 7);
    expect(itemBytes({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemBytes({ z: { B: new Uint8Array(100) } })).toBe(1 + 100);
    expect(itemBytes({ ok: { BOOL: true } })).toBe(2 + 1);
    expect(itemBytes({ last: { M: { n: { N: '3' }, t: { S: 'abc' } } } })).toBe(4 + 3 + (1 + 1 + 2) + (1 + 1 + 3));
    expect(itemBytes({ l: { L: [{ S: 'ab' }, { N: '7' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
  });

  it('one write unit per started kilobyte', () => {
    expect([0, 1, 1024, 1025, 2048].map(writeUnits)).toEqual([1, 1, 1, 2, 2]);
  });
});
