import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Random } from '../ml/random.js';
import { migrate } from '../warehouse/migrations.js';
import { openWarehouse, type SqlRunner, type Warehouse } from '../warehouse/warehouse.js';
import { getCustomerScore } from './get-customer-score.js';

let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
  await migrate(warehouse);
});
afterEach(() => warehouse.close());

/** Writes scores of `ids` on `day` as scoring does: the day's rows of those customers replaced. */
async function score(ids: string[], day: string, probability: (id: string) => number): Promise<void> {
  await warehouse.transaction(async (tx) => {
    await tx.run(
      `DELETE FROM scores WHERE scored_at = CAST(? AS DATE) AND customer_id IN (${ids.map(() => '?').join(', ')})`,
      [day, ...ids],
    );
    for (const id of ids) {
      await tx.run(
        `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh,
          drivers) VALUES (?, CAST(? AS DATE), 1, ?, 'low', 'r', 'r', '[]')`,
        [id, day, probability(id)],
      );
    }
  });
}

/** The same question through a transaction's runner: the warehouse's own query, nothing held. */
async function slowTwin(id: string) {
  return warehouse.transaction((tx: SqlRunner) => getCustomerScore(tx, id));
}

describe('getCustomerScore', () => {
  it('answers the latest score per customer from memory, as the warehouse does, through every kind of write', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(3, '0')}`);
    const random = new Random(3, 0);
    const check = async () => {
      for (const id of [...ids, 'nobody']) {
        const fast = await getCustomerScore(warehouse, id);
        const slow = await slowTwin(id);
        expect(fast?.probability, id).toBe(slow?.probability);
        expect(fast?.scored_at, id).toBe(slow?.scored_at);
      }
    };
    await score(ids, '2026-01-01', () => random.next());
    await check();
    // A later day for some (the delta is read), the same day again for a few (delete + insert), a full run.
    await score(ids.slice(0, 5), '2026-02-01', () => random.next());
    await check();
    for (let round = 0; round < 5; round++) {
      await score([ids[round]!, ids[10 + round]!], round % 2 ? '2026-02-01' : '2026-01-01', () =>
        random.next(),
      );
      await check();
    }
    await score(ids, '2026-03-01', () => random.next());
    await check();
    // A whole day removed: fewer rows, read again from scratch.
    await warehouse.run("DELETE FROM scores WHERE scored_at = DATE '2026-03-01'");
    await check();
    expect((await getCustomerScore(warehouse, 'C000'))?.scored_at).toBe('2026-02-01');
  });
});
