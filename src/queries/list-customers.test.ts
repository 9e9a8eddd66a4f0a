import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse, type SqlParam, type Warehouse } from '../warehouse/warehouse.js';
import { compareBinary } from './customer-list-index.js';
import { refreshLatestScoresTable } from './latest-scores-table.js';
import {
  type CustomerListRow,
  type CustomerSort,
  type ListCustomersParams,
  listCustomers,
  listCustomersSql,
} from './list-customers.js';

// A seeded business with what makes list order and matching tricky: tied probabilities and values, NULL and
// non-ASCII personal fields, drivers without a feature, customers without scores or without a profile.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FEATURES = ['visits_30d', 'tickets_90d', 'days_since_last_visit', 'spend_90d', 'Événements'];
const SEGMENTS = ['consumer', 'business', 'smb', 'Vip', null];
const NAMES = ['Ann', 'BOB', 'Çelik', '张伟', 'ann-marie', null];

async function seed(warehouse: Warehouse, customers: number): Promise<void> {
  const random = mulberry32(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const insert = async (sql: string, rows: SqlParam[][]) => {
    for (let start = 0; start < rows.length; start += 200) {
      const chunk = rows.slice(start, start + 200);
      const placeholders = chunk.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
      await warehouse.run(`${sql} VALUES ${placeholders}`, chunk.flat());
    }
  };
  const profiles: SqlParam[][] = [];
  const scores: SqlParam[][] = [];
  const spend: SqlParam[][] = [];
  for (let c = 0; c < customers; c++) {
    // Ids with mixed case and a code point above U+FFFF, so id order is byte order, not UTF-16 order.
    const id = c % 97 === 0 ? `c${c}\u{1F600}` : c % 13 === 0 ? `C-${c}` : `c${String(c).padStart(4, '0')}`;
    const name = pick(NAMES);
    if (c % 50 !== 49) {
      profiles.push([
        id,
        '2024-01-01 00:00:00',
        pick(SEGMENTS),
        pick(['north', 'south']),
        pick(['basic', 'plus']),
        name === null ? null : `${name} ${c % 7}`,
        random() < 0.2 ? null : `138${String(c).padStart(8, '0')}`,
        random() < 0.2 ? null : `${name ?? 'x'}${c}@Example.com`,
      ]);
    }
    if (c % 11 === 10) continue;
    for (const [day, version] of [
      ['2025-01-01', 1],
      ['2025-02-01', random() < 0.5 ? 1 : 2],
    ] as const) {
      // Two decimals make ties among probabilities common.
      const probability = Math.round(random() * 100) / 100;
      const tier = probability >= 0.6 ? 'high' : probability >= 0.3 ? 'medium' : 'low';
      const drivers = [pick(FEATURES), pick(FEATURES)].map((feature) => ({ feature }));
      if (random() < 0.1) drivers.push({ weight: 1 } as unknown as { feature: string });
      scores.push([
        id,
        day,
        version,
        probability,
        tier,
        `${tier} risk: Fewer visits ${c % 5}`,
        `${tier}风险：访问减少 ${c % 5}`,
        JSON.stringify(drivers),
      ]);
    }
    for (let k = 0; k < c % 4; k++) {
      spend.push([id, `2025-01-${String(10 + k).padStart(2, '0')} 12:00:00`, [10, 7.125, -3, 20][k]!]);
    }
  }
  await insert(
    'INSERT INTO customers (customer_id, signup_at, segment, region, plan, name, phone, email)',
    profiles,
  );
  await insert(
    'INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)',
    scores,
  );
  await insert('INSERT INTO transactions (customer_id, ts, amount)', spend);
}

const base: ListCustomersParams = {
  searchPersonal: false,
  sort: 'probability',
  order: 'desc',
  limit: 50,
  offset: 0,
};

/** Filter and paging combinations in every sort and direction. */
function combinations(): ListCustomersParams[] {
  const filters: Partial<ListCustomersParams>[] = [
    {},
    { tiers: ['high'] },
    { tiers: ['medium', 'low'] },
    { tiers: ['nope'] },
    { segment: 'smb' },
    { segment: 'Vip', tiers: ['low'] },
    { segment: 'absent' },
    { reason: 'visits_30d' },
    { reason: 'Événements' },
    { reason: 'FEWER' },
    { reason: '访问减少 3' },
    { reason: 'weight' },
    { minProbability: 0.3 },
    { maxProbability: 0.5 },
    { minProbability: 0.25, maxProbability: 0.25 },
    { search: 'C00' },
    { search: 'c-1' },
    { search: 'ann' },
    { search: '张' },
    { search: '13800000' },
    { search: 'example.COM' },
    { search: 'ÇEL' },
    { reason: 'spend_90d', minProbability: 0.4, search: 'c' },
  ];
  const pages: Partial<ListCustomersParams>[] = [
    {},
    { limit: 7, offset: 3 },
    { limit: 200, offset: 100 },
    { offset: 10_000 },
  ];
  const out: ListCustomersParams[] = [];
  for (const sort of ['probability', 'value', 'id'] as CustomerSort[]) {
    for (const order of ['asc', 'desc'] as const) {
      for (const filter of filters) {
        for (const page of pages) {
          // Personal search changes only what `search` matches.
          for (const searchPersonal of filter.search === undefined ? [false] : [false, true]) {
            out.push({ ...base, sort, order, ...filter, ...page, searchPersonal });
          }
        }
      }
    }
  }
  return out;
}

function sortKey(row: CustomerListRow, sort: CustomerSort): number | string {
  return sort === 'probability' ? row.probability : sort === 'value' ? row.value : row.id;
}

describe('listCustomers in memory', () => {
  let warehouse: Warehouse;

  beforeAll(async () => {
    warehouse = await openWarehouse(':memory:');
    await seed(warehouse, 700);
  });

  afterAll(() => warehouse.close());

  it('answers every filter, sort and page exactly as the SQL form, live and from latest_scores', async () => {
    let compared = 0;
    for (const source of ['live', 'table']) {
      if (source === 'table') await refreshLatestScoresTable(warehouse);
      for (const params of combinations()) {
        const expected = await listCustomersSql(warehouse, params);
        const actual = await listCustomers(warehouse, params);
        expect(actual, `${source} ${JSON.stringify(params)}`).toEqual(expected);
        compared += expected.rows.length;
      }
    }
    // The combinations must have compared rows, not only empty pages.
    expect(compared).toBeGreaterThan(20_000);
  });

  it('follows cursors page by page as the SQL form does', async () => {
    for (const sort of ['probability', 'value', 'id'] as CustomerSort[]) {
      for (const order of ['asc', 'desc'] as const) {
        let after: ListCustomersParams['after'];
        let pages = 0;
        for (;;) {
          const params = { ...base, sort, order, limit: 61, after, tiers: ['high', 'medium'] };
          const expected = await listCustomersSql(warehouse, params);
          const actual = await listCustomers(warehouse, params);
          expect(actual, JSON.stringify(params)).toEqual(expected);
          const last = actual.rows.at(-1);
          if (!last || actual.rows.length < params.limit) break;
          after = { key: sortKey(last, sort), id: last.id };
          pages++;
        }
        expect(pages).toBeGreaterThan(2);
      }
    }
  });

  it('reads the list again after a write to a table it comes from', async () => {
    const params = { ...base, search: 'c0001', searchPersonal: true };
    const before = await listCustomers(warehouse, params);
    const first = before.rows[0]!;
    await warehouse.run('UPDATE customers SET name = ? WHERE customer_id = ?', ['Renamed', first.id]);
    const after = await listCustomers(warehouse, params);
    expect(after.rows[0]).toEqual({ ...first, name: 'Renamed' });
    await warehouse.run(
      `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
       VALUES (?, DATE '2025-03-01', 1, 0.999, 'high', 'new', '新', '[]')`,
      [first.id],
    );
    const byId = { ...base, search: first.id };
    const rescored = await listCustomers(warehouse, byId);
    expect(rescored.rows[0]).toMatchObject({ id: first.id, probability: 0.999, scoredAt: '2025-03-01' });
    expect(rescored).toEqual(await listCustomersSql(warehouse, byId));
  });

  it('a transaction reads the SQL form, which sees its own uncommitted rows', async () => {
    await warehouse
      .transaction(async (tx) => {
        await tx.run(
          `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
           VALUES ('c0003', DATE '2025-04-01', 1, 0.9999, 'high', 'tx', '事务', '[]')`,
        );
        const inside = await listCustomers(tx, { ...base, search: 'c0003' });
        expect(inside.rows[0]?.probability).toBe(0.9999);
        throw new Error('roll back');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== 'roll back') throw error;
      });
    const outside = await listCustomers(warehouse, { ...base, search: 'c0003' });
    expect(outside.rows).toHaveLength(1);
    expect(outside.rows[0]?.probability).not.toBe(0.9999);
  });
});

describe('compareBinary', () => {
  it('orders as UTF-8 bytes do: code points above U+FFFF after U+E000–FFFF', () => {
    const words = ['b', 'a', '\u{1F600}', '\uFF21', 'ab', '', 'é'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareBinary)).toEqual(byBytes);
    expect(byBytes.indexOf('\uFF21')).toBeLessThan(byBytes.indexOf('\u{1F600}'));
  });
});
