/**
 * A table of the in-memory fakes: items keyed by `pk`/`sk` like the DynamoDB tables they stand for, so a
 * test can look at "what is stored" the same way on either. Items are copied in and out through JSON, as
 * the document client marshals them: a caller never holds a reference into the store, and undefined
 * fields are dropped. Nothing expires (no TTL sweep, like the embedded DynamoDB): stores check times in code.
 *
 * Every fake method reads and writes within one synchronous stretch (no await in between), so each is
 * atomic the way one conditional write is: concurrent requests race exactly as they do on DynamoDB.
 */
export type Item = Record<string, unknown> & { pk: string; sk: string };

export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class FakeTable {
  private readonly items = new Map<string, Item>();

  get(pk: string, sk: string): Item | undefined {
    const item = this.items.get(`${pk}\u0000${sk}`);
    return item ? copy(item) : undefined;
  }

  put(item: Item): void {
    this.items.set(`${item.pk}\u0000${item.sk}`, copy(item));
  }

  delete(pk: string, sk: string): void {
    this.items.delete(`${pk}\u0000${sk}`);
  }

  /** Every item, in insertion order (a scan). */
  scan(): Item[] {
    return [...this.items.values()].map(copy);
  }
}
