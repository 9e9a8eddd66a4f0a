import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenerationCache, GenerationSlot } from './generation-cache.js';
import { generationOf, openWarehouse, type Warehouse, writtenTables } from './warehouse.js';

describe('writtenTables', () => {
  it('names the table of single-table writes, unqualified and lower case', () => {
    expect(writtenTables('INSERT INTO audit_log (a) VALUES (?)')).toEqual(['audit_log']);
    expect(writtenTables('  -- note\n insert or replace into main."Scores" SELECT 1')).toEqual(['scores']);
    expect(writtenTables('UPDATE api_tokens SET revoked_at = ?')).toEqual(['api_tokens']);
    expect(writtenTables('DELETE FROM sessions WHERE x = 1')).toEqual(['sessions']);
    expect(writtenTables('CREATE OR REPLACE TABLE latest_scores AS SELECT 1')).toEqual(['latest_scores']);
    expect(writtenTables('CREATE TEMP TABLE IF NOT EXISTS t (a INT)')).toEqual(['t']);
    expect(writtenTables('DROP TABLE IF EXISTS old')).toEqual(['old']);
    expect(writtenTables('CREATE INDEX IF NOT EXISTS i ON transactions (customer_id)')).toEqual([
      'transactions',
    ]);
    expect(writtenTables("COPY events FROM 'x.csv'")).toEqual(['events']);
  });

  it('counts reads as writing nothing', () => {
    expect(writtenTables('SELECT * FROM scores')).toBe('none');
    expect(writtenTables('WITH a AS (SELECT 1) SELECT * FROM a')).toBe('none');
    expect(writtenTables('/* c */ FROM scores')).toBe('none');
    expect(writtenTables('BEGIN TRANSACTION')).toBe('none');
    expect(writtenTables('COMMIT')).toBe('none');
  });

  it('counts what it cannot tell as writing everything', () => {
    expect(writtenTables('ROLLBACK')).toBe('all');
    expect(writtenTables('ALTER TABLE a RENAME TO b')).toBe('all');
    expect(writtenTables('SELECT 1; DELETE FROM scores')).toBe('all');
    expect(writtenTables('WITH x AS (SELECT 1) INSERT INTO scores SELECT * FROM x')).toBe('all');
    expect(writtenTables('EXPLAIN ANALYZE DELETE FROM scores')).toBe('all');
    expect(writtenTables('SET threads = 1')).toBe('all');
    expect(writtenTables('CHECKPOINT; DROP TABLE x')).toBe('all');
  });
});

describe('Warehouse.generation', () => {
  let warehouse: Warehouse;
  beforeEach(async () => {
    warehouse = await openWarehouse(':memory:');
  });
  afterEach(() => warehouse.close());

  it('moves for a write to one of the tables, not for reads or other tables', async () => {
    const scores = warehouse.generation(['scores']);
    const users = warehouse.generation(['users']);
    await warehouse.all('SELECT count(*) FROM scores');
    await warehouse.all('SELECT count(*) FROM scores WHERE customer_id = ?', ['x']);
    expect(warehouse.generation(['scores'])).toBe(scores);
    await warehouse.run('INSERT INTO audit_log (occurred_at, action) VALUES (current_timestamp, ?)', ['x']);
    expect(warehouse.generation(['scores'])).toBe(scores);
    await warehouse.run('DELETE FROM scores WHERE customer_id = ?', ['x']);
    expect(warehouse.generation(['scores'])).not.toBe(scores);
    expect(warehouse.generation(['users'])).toBe(users);
    expect(warehouse.generation(['users', 'scores'])).toBe(warehouse.generation(['scores']));
  });

  it('moves for every table on a rollback, and is not there for a transaction runner', async () => {
    const users = warehouse.generation(['users']);
    await warehouse
      .transaction(async (tx) => {
        expect(generationOf(tx, ['users'])).toBeNull();
        throw new Error('undo');
      })
      .catch(() => undefined);
    expect(warehouse.generation(['users'])).not.toBe(users);
    expect(generationOf(warehouse, ['users'])).toBe(warehouse.generation(['users']));
  });
});

describe('GenerationCache', () => {
  it('returns a value only under the generation it was kept at', () => {
    const cache = new GenerationCache<string>(10);
    cache.set('a', 1, 'one');
    expect(cache.get('a', 1)).toBe('one');
    expect(cache.get('a', 2)).toBeUndefined();
    // The stale entry was dropped, so asking under the old generation again finds nothing.
    expect(cache.get('a', 1)).toBeUndefined();
  });

  it('drops the least recently used beyond its capacity', () => {
    const cache = new GenerationCache<number>(2);
    cache.set('a', 0, 1);
    cache.set('b', 0, 2);
    expect(cache.get('a', 0)).toBe(1);
    cache.set('c', 0, 3);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe(1);
    expect(cache.size).toBe(2);
    expect(() => new GenerationCache(0)).toThrow(/capacity=0 must be an integer >= 1/);
  });
});

describe('GenerationSlot', () => {
  it('loads once per generation, shares the load, and retries after a failure', async () => {
    const slot = new GenerationSlot<number>();
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([slot.get(1, load), slot.get(1, load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await slot.get(2, load)).toBe(2);
    await expect(slot.get(3, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await slot.get(3, load)).toBe(3);
  });
});
