/**
 * DynamoDB's size of an item (what write and read units are counted on): every attribute name plus its
 * value, strings and binaries by their bytes, numbers by about one byte per two digits, maps and lists
 * with 3 bytes of their own and 1 per element (AWS's published rules, "Item sizes and formats").
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return numberBytes(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((a, x) => a + Buffer.byteLength(x), 0);
  if (v.NS) return v.NS.reduce((a, x) => a + numberBytes(x), 0);
  if (v.BS) return v.BS.reduce((a, x) => a + x.byteLength, 0);
  if (v.L) return 3 + v.L.reduce((a, x) => a + 1 + valueBytes(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((a, [k, x]) => a + 1 + Buffer.byteLength(k) + valueBytes(x), 0);
  return 0;
}

function numberBytes(n: string): number {
  const digits = n.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length || 1;
  return Math.ceil(digits / 2) + 1;
}

/** Write units of one write of an item of `bytes` (1 KB each, rounded up). */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}
