import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../ml/random.js';
import { thrown } from '../testing/thrown.js';
import { customerId, DEFAULT_END, dataEnd, simulateBusiness } from './business.js';
import { Calendar } from './calendar.js';
import { futureTimestamp, unparseableTimestamp } from './data-quality.js';
import { writeBusiness } from './write-business.js';

const root = mkdtempSync(join(tmpdir(), 'churnwatch-business-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** sha256 of every file under `dir`, by relative path. */
function fingerprints(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

describe('simulateBusiness', () => {
  it('gives byte-identical files for the same options, and other files for another seed', () => {
    const options = { customers: 400, months: 6, seed: 11 };
    writeBusiness(join(root, 'a'), simulateBusiness(options));
    writeBusiness(join(root, 'b'), simulateBusiness(options));
    writeBusiness(join(root, 'c'), simulateBusiness({ ...options, seed: 12 }));
    const a = fingerprints(join(root, 'a'));
    expect(Object.keys(a).sort()).toEqual([
      'churnwatch.yaml',
      'data/cancellations.csv',
      'data/customers.csv',
      'data/events.csv',
      'data/tickets.csv',
      'data/transactions.csv',
      'truth/bad_rows.csv',
      'truth/customers.csv',
      'truth/hazard.csv',
      'truth/market.csv',
    ]);
    expect(fingerprints(join(root, 'b'))).toEqual(a);
    expect(fingerprints(join(root, 'c'))['data/events.csv']).not.toBe(a['data/events.csv']);
  });

  it('ends on the given day and starts on the first of the month, months - 1 earlier', () => {
    const simulation = simulateBusiness({ customers: 10, months: 18 });
    const { calendar } = simulation.world;
    expect(simulation.end).toBe(DEFAULT_END);
    expect(calendar.date(0)).toBe('2025-05-01');
    expect(calendar.date(calendar.days - 1)).toBe('2026-10-31');
    expect(calendar.monthStarts.length).toBe(18);
    expect(dataEnd(simulation).toISOString()).toBe('2026-10-31T23:59:59.000Z');
  });

  it('draws signups in order, some before the first day, all before the end', () => {
    const { population } = simulateBusiness({ customers: 2000, seed: 3 });
    const signups = Array.from(population.signupSecond);
    expect(signups).toEqual([...signups].sort((x, y) => x - y));
    const before = signups.filter((s) => s < 0).length / signups.length;
    expect(before).toBeGreaterThan(0.4);
    expect(before).toBeLessThan(0.6);
    expect(Math.max(...signups)).toBeLessThan(549 * 86_400);
    expect(customerId(0)).toBe('C0000001');
  });

  it('names the option and the value it rejects', () => {
    for (const [options, key] of [
      [{ customers: 0 }, 'customers'],
      [{ customers: 1.5 }, 'customers'],
      [{ months: 0 }, 'months'],
      [{ seed: -1 }, 'seed'],
      [{ end: '2026-02-30' }, 'end'],
    ] as const) {
      expect(thrown(() => simulateBusiness(options)).where.key).toBe(key);
    }
    expect(thrown(() => simulateBusiness({ customers: 0 })).message).toBe(
      'customers=0 must be a whole number from 1 to 9999999',
    );
  });
});

describe('Calendar', () => {
  it('formats seconds as YYYY-MM-DD HH:MM:SS, also before and after the period', () => {
    const calendar = new Calendar('2024-03-31', 2);
    expect(calendar.date(0)).toBe('2024-02-01');
    expect(calendar.days).toBe(60);
    expect(calendar.timestamp(0)).toBe('2024-02-01 00:00:00');
    expect(calendar.timestamp(28 * 86_400 + 3661)).toBe('2024-02-29 01:01:01');
    expect(calendar.timestamp(-1)).toBe('2024-01-31 23:59:59');
    expect(calendar.timestamp(60 * 86_400)).toBe('2024-04-01 00:00:00');
    expect(Array.from(calendar.monthStarts)).toEqual([0, 29]);
    expect(calendar.monthIndex[28]).toBe(0);
    expect(calendar.monthIndex[29]).toBe(1);
  });
});

describe('planted bad values', () => {
  it('puts future timestamps decades ahead, on real dates', () => {
    const random = new Random(1);
    for (let k = 0; k < 50; k++) {
      const future = futureTimestamp('2024-02-29 10:11:12', random);
      expect(future).toMatch(/^20[4-7]\d-02-28 10:11:12$/);
    }
  });

  it('spoils timestamps in the ways the ingest cannot read', () => {
    const random = new Random(2);
    const seen = new Set<string>();
    for (let k = 0; k < 50; k++) seen.add(unparseableTimestamp('2025-06-03 10:11:12', random));
    expect([...seen].sort()).toEqual(['#VALUE!', '03/06/2025 10:11', '2025-13-03 10:11:12']);
  });
});
