import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';
import { thrown } from '../testing/thrown.js';
import { ingest } from '../warehouse/ingest.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import type { Treatment } from './action-effects.js';
import { type ActivitySink, simulateCustomer } from './behaviour.js';
import {
  type BusinessSimulation,
  customerId,
  customerRandom,
  dataEnd,
  playedWorld,
  simulateBusiness,
} from './business.js';
import { PLANS } from './business-model.js';
import { type Calendar, SECONDS_PER_DAY } from './calendar.js';
import { loadGroundTruth } from './ground-truth.js';
import { type CampaignAction, playForward } from './play-forward.js';
import { playLife } from './treatment-truth.js';
import { writeBusiness } from './write-business.js';

/** Every row a life emits, as text tagged with its time, to compare lives. */
class Recorder implements ActivitySink {
  readonly rows: { second: number; text: string }[] = [];
  constructor(private readonly calendar: Calendar) {}
  event(i: number, second: number, type: number): void {
    this.rows.push({ second, text: `e ${i} ${second} ${type}` });
  }
  purchase(i: number, second: number, cents: number, product: number, method: number): void {
    this.rows.push({ second, text: `p ${i} ${second} ${cents} ${product} ${method}` });
  }
  ticket(i: number, opened: number, _resolved: number, category: number): void {
    // Resolution and satisfaction are written as they stand at the end, so only the opening is compared.
    this.rows.push({ second: opened, text: `t ${i} ${opened} ${category}` });
  }
  cancellation(i: number, second: number, reason: number, voluntary: boolean): void {
    this.rows.push({ second, text: `c ${i} ${second} ${reason} ${voluntary}` });
  }
  monthlyHazard(i: number, monthStartDay: number, probability: number): void {
    // A month's hazard is known at its end: it sorts as of the first second after it.
    const next =
      this.calendar.monthStarts[this.calendar.monthIndex[monthStartDay]! + 1] ?? this.calendar.days;
    this.rows.push({ second: next * SECONDS_PER_DAY, text: `h ${i} ${monthStartDay} ${probability}` });
  }
  /** The rows before `second` (hazards: of months ended by then), sorted (tickets come at the end of a life). */
  before(second: number): string[] {
    return this.rows
      .filter((r) => r.second < second || (r.text.startsWith('h') && r.second === second))
      .map((r) => r.text)
      .sort();
  }
}

const root = mkdtempSync(join(tmpdir(), 'churnwatch-play-'));
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

/** Data rows of a CSV file (header dropped). */
function rowsOf(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').slice(1, -1);
}

const simulation: BusinessSimulation = simulateBusiness({ customers: 400, months: 4, seed: 11 });
const days = simulation.world.calendar.days;

describe('playedWorld', () => {
  it('keeps the market of the simulated period and continues it the same however the months are played', () => {
    const three = playedWorld(simulation, 3);
    const two = playedWorld(simulation, 2);
    const old = simulation.world;
    expect(three.calendar.date(0)).toBe(old.calendar.date(0));
    expect(three.calendar.date(three.calendar.days - 1)).toBe('2027-01-31');
    const slice = (a: Float32Array, from: number, n: number) => Array.from(a.subarray(from, from + n));
    for (const key of ['sessionSeason', 'shoppingSeason', 'churnSeason'] as const) {
      expect(slice(three[key], 0, days)).toEqual(Array.from(old[key]));
    }
    for (let p = 0; p < PLANS.length; p++) {
      expect(slice(three.priceShock, p * three.calendar.days, days)).toEqual(
        slice(old.priceShock, p * days, days),
      );
      const twoDays = two.calendar.days;
      expect(slice(three.priceShock, p * three.calendar.days, twoDays)).toEqual(
        slice(two.priceShock, p * twoDays, twoDays),
      );
    }
    for (let r = 0; r < 4; r++) {
      expect(slice(three.competitorPull, r * three.calendar.days, days)).toEqual(
        slice(old.competitorPull, r * days, days),
      );
      const twoDays = two.calendar.days;
      expect(slice(three.competitorPull, r * three.calendar.days, twoDays)).toEqual(
        slice(two.competitorPull, r * twoDays, twoDays),
      );
    }
    expect(three.priceIncreaseDay).toBe(old.priceIncreaseDay);
    expect(three.promotions.slice(0, old.promotions.length).map((p) => p.startDay)).toEqual(
      old.promotions.map((p) => p.startDay),
    );
  });

  it('plays only after the last day of a month', () => {
    const midMonth = simulateBusiness({ customers: 10, months: 3, end: '2026-10-15' });
    const error = thrown(() => playedWorld(midMonth, 1));
    expect(error.where.key).toBe('end');
    expect(error.message).toBe('end=2026-10-15 must be the last day of a month to play months after it');
  });
});

describe('a life played on after the end', () => {
  it('replays the simulated period exactly: its rows up to the end are the original rows', () => {
    const world = playedWorld(simulation, 2);
    const end = days * SECONDS_PER_DAY;
    let playedRows = 0;
    for (let i = 0; i < 150; i++) {
      const original = new Recorder(world.calendar);
      simulateCustomer(simulation.world, simulation.population, i, customerRandom(simulation, i), original);
      const played = new Recorder(world.calendar);
      playLife(simulation, world, i, { sink: played, emitFromDay: 0 });
      expect(played.before(end), customerId(i)).toEqual(original.before(end));
      playedRows += played.rows.length - played.before(end).length;
    }
    expect(playedRows).toBeGreaterThan(1000);
  });

  it('draws the same with and without a treatment up to its day (common random numbers), in the period and after', () => {
    const world = playedWorld(simulation, 2);
    for (const day of [days - 45, days + 10]) {
      let changed = 0;
      for (let i = 0; i < 150; i++) {
        const treatment: Treatment = { day, action: 'service_call' };
        const without = new Recorder(world.calendar);
        const withAction = new Recorder(world.calendar);
        if (day < days) {
          const random = () => customerRandom(simulation, i);
          simulateCustomer(simulation.world, simulation.population, i, random(), without);
          simulateCustomer(simulation.world, simulation.population, i, random(), withAction, [treatment]);
        } else {
          playLife(simulation, world, i, { sink: without, emitFromDay: 0 });
          playLife(simulation, world, i, { sink: withAction, emitFromDay: 0, treatments: [treatment] });
        }
        expect(withAction.before(day * SECONDS_PER_DAY), `${customerId(i)} day ${day}`).toEqual(
          without.before(day * SECONDS_PER_DAY),
        );
        if (withAction.rows.map((r) => r.text).join() !== without.rows.map((r) => r.text).join()) changed++;
      }
      // The call changes what follows for the customers it reaches.
      expect(changed, `day ${day}`).toBeGreaterThan(30);
    }
  });
});

describe('playForward', () => {
  const dir = join(root, 'demo');
  let warehouse: Warehouse;
  let before: Record<string, string>;
  let summary: ReturnType<typeof playForward>;
  let firstLoad: number;
  let campaign: CampaignAction[];

  beforeAll(async () => {
    writeBusiness(dir, simulation);
    before = fingerprints(dir);
    warehouse = await openWarehouse(':memory:');
    const config = loadConfig(join(dir, CONFIG_FILE));
    firstLoad = (await ingest(warehouse, config, { now: dataEnd(simulation) })).rowsLoaded;
    // The riskiest fifth of the members: every other one gets a coupon.
    const risky = [...Array(simulation.customers).keys()]
      .map((i) => ({ i, life: playLife(simulation, simulation.world, i, { probeDay: days }) }))
      .filter((c) => c.life.probe!.member)
      .sort((a, b) => b.life.probe!.readiness - a.life.probe!.readiness)
      .slice(0, 70);
    campaign = risky.map(({ i }, k) => ({
      customerId: customerId(i),
      group: k % 2 === 0 ? 'treated' : 'control',
      action: 'coupon',
      discountShare: 0.2,
    }));
    summary = playForward(dir, simulation, { months: 2, campaign });
    await ingest(warehouse, config, { now: summary.dataEnd });
    await loadGroundTruth(warehouse, dir);
  });
  afterAll(() => warehouse?.close());

  async function value(sql: string): Promise<number> {
    const [row] = await warehouse.all<{ v: number }>(sql);
    return Number(row?.v);
  }

  it('leaves every file of the simulated period as it was and writes the new months to new files', () => {
    const after = fingerprints(dir);
    for (const [path, hash] of Object.entries(before)) expect(after[path], path).toBe(hash);
    expect(summary.from).toBe('2026-11-01');
    expect(summary.to).toBe('2026-12-31');
    expect(summary.dataEnd.toISOString()).toBe('2026-12-31T23:59:59.000Z');
    expect(
      Object.keys(after)
        .filter((path) => !(path in before))
        .sort(),
    ).toEqual([...summary.files].sort());
    expect(summary.files).toContain('data/events-2026-11-01_2026-12-31.csv');
    for (const kind of ['events', 'transactions', 'cancellations'] as const) {
      const rows = rowsOf(join(dir, `data/${kind}-2026-11-01_2026-12-31.csv`));
      expect(rows.length).toBe(summary.rows[kind]);
      for (const row of rows) expect(row.split(',')[1]! >= '2026-11-01', row).toBe(true);
    }
    expect(summary.rows.events).toBeGreaterThan(5000);
    expect(summary.churned).toBeGreaterThan(5);
  });

  it('is loaded by the ingest as new files: every new fact row is added, none twice', async () => {
    const facts = summary.rows.events + summary.rows.transactions + summary.rows.cancellations;
    const loaded = await value(
      "SELECT sum(rows_loaded) AS v FROM load_log WHERE file LIKE '%2026-11-01_2026-12-31.csv'",
    );
    expect(loaded).toBe(facts + summary.rows.tickets);
    expect(firstLoad).toBeGreaterThan(0);
    expect(
      await value(`SELECT count(*) AS v FROM quarantine WHERE file LIKE '%2026-11-01_2026-12-31.csv'`),
    ).toBe(0);
    expect(await value(`SELECT count(*) AS v FROM cancellations WHERE cancelled_at >= '2026-11-01'`)).toBe(
      summary.churned,
    );
  });

  it('writes the ground truth of the campaign: both lives of every campaign customer, the lived one as the data shows', async () => {
    expect(summary.campaign).toMatchObject({ customers: 70, treated: 35, control: 35 });
    expect(await value('SELECT count(*) AS v FROM truth_campaign')).toBe(70);
    expect(await value('SELECT count(*) AS v FROM truth_played_churn')).toBe(summary.churned);
    // What the data shows is the life the group got: with the action for the treated, without for the control.
    const mismatched = await value(
      `SELECT count(*) AS v FROM truth_campaign AS t
         LEFT JOIN cancellations AS c ON c.customer_id = t.customer_id AND c.cancelled_at >= '2026-11-01'
        WHERE (c.customer_id IS NOT NULL) <> CASE t.campaign_group WHEN 'treated' THEN t.churned_with_action
                                                                ELSE t.churned_without_action END`,
    );
    expect(mismatched).toBe(0);
    const effect = await value(
      'SELECT avg(churned_with_action::INTEGER - churned_without_action::INTEGER) AS v FROM truth_campaign',
    );
    expect(effect).toBeCloseTo(summary.campaign!.trueEffect, 12);
    expect(await value(`SELECT count(*) AS v FROM truth_campaign WHERE drift_cause = ''`)).toBe(0);
  });

  it('charges the coupon customers 20% less while the coupon is valid', async () => {
    const fees = await warehouse.all<{ treated: boolean; amount: number; plan: string }>(
      `SELECT t.campaign_group = 'treated' AS treated, x.amount, p.plan
         FROM transactions AS x JOIN truth_campaign AS t USING (customer_id) JOIN customers AS p USING (customer_id)
        WHERE x.product LIKE 'membership_%' AND x.ts >= '2026-11-01' AND x.ts < '2026-12-30'`,
    );
    expect(fees.filter((f) => f.treated).length).toBeGreaterThan(10);
    for (const fee of fees) {
      const plan = PLANS.find((p) => p.name === fee.plan)!;
      expect(fee.amount).toBeCloseTo(fee.treated ? plan.raisedFee * 0.8 : plan.raisedFee, 2);
    }
  });

  it('continues after the last play: two months then one give the rows of three at once', () => {
    const once = join(root, 'once');
    const twice = join(root, 'twice');
    writeBusiness(once, simulation);
    writeBusiness(twice, simulation);
    playForward(once, simulation, { months: 3, campaign });
    playForward(twice, simulation, { months: 2, campaign });
    playForward(twice, simulation, { months: 1 });
    const three = '2026-11-01_2027-01-31';
    const parts = ['2026-11-01_2026-12-31', '2027-01-01_2027-01-31'];
    for (const kind of ['events', 'transactions', 'cancellations']) {
      const joined = parts.flatMap((part) => rowsOf(join(twice, `data/${kind}-${part}.csv`)));
      expect(joined.sort(), kind).toEqual(rowsOf(join(once, `data/${kind}-${three}.csv`)).sort());
    }
    const hazards = parts.flatMap((part) => rowsOf(join(twice, `truth/hazard-${part}.csv`)));
    expect(hazards.sort()).toEqual(rowsOf(join(once, `truth/hazard-${three}.csv`)).sort());
    // Tickets are keyed by customer and opening time; a later row replaces an earlier one.
    const latest = (rows: string[]) => {
      const byKey = new Map<string, string>();
      for (const row of rows) byKey.set(row.split(',').slice(0, 2).join(), row);
      return [...byKey.values()].sort();
    };
    const tickets = parts.flatMap((part) => rowsOf(join(twice, `data/tickets-${part}.csv`)));
    expect(latest(tickets)).toEqual(latest(rowsOf(join(once, `data/tickets-${three}.csv`))));
  });

  it('names what it rejects', () => {
    const bad = (entry: Partial<CampaignAction>) =>
      thrown(() =>
        playForward(join(root, 'never'), simulation, {
          months: 1,
          campaign: [
            { customerId: 'C0000001', group: 'treated', action: 'coupon', ...entry } as CampaignAction,
          ],
        }),
      );
    expect(bad({ customerId: 'C9999999' }).where.key).toBe('campaign[0].customerId');
    expect(bad({ on: '2026-10-31' }).message).toBe(
      'campaign[0].on=2026-10-31 must be a played day (from 2026-11-01)',
    );
    expect(bad({ action: 'hug' as CampaignAction['action'] }).where.key).toBe('campaign[0].action');
    expect(bad({ discountShare: 1.5 }).where.key).toBe('campaign[0].discountShare');
    expect(thrown(() => playForward(join(root, 'never'), simulation, { months: 0 })).where.key).toBe(
      'months',
    );
  });
});
