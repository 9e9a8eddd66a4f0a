// `writeBusiness`: simulates every customer's life and streams the rows into the demo folder —
// data/*.csv (what the product ingests), truth/*.csv (what really happened) and churnwatch.yaml.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_KINDS, type SourceKind } from '../config/config-schema.js';
import { CONFIG_FILE } from '../config/load-config.js';
import { simulateCustomer } from './behaviour.js';
import { type BusinessSimulation, customerRandom, qualityRandom } from './business.js';
import { PLANS, REGIONS } from './business-model.js';
import { BusinessWriter } from './business-writer.js';
import type { Calendar } from './calendar.js';
import type { BadRowKind } from './data-quality.js';
import { testAccountCount } from './data-quality.js';
import { DEMO_CONFIG } from './demo-config.js';
import type { CompetitorPromotion } from './world.js';

export interface WriteBusinessOptions {
  /** Called every 1000 customers and at the end: customers simulated and written so far, of the total. */
  onProgress?: (stage: 'customers', done: number, total: number) => void;
}

export interface BusinessSummary {
  /** Data rows written per source file, bad rows included. */
  rows: Record<SourceKind, number>;
  /** Planted bad rows per kind (all files). */
  badRows: Record<BadRowKind, number>;
  customers: number;
  testAccounts: number;
  churnedVoluntarily: number;
  churnedInvoluntarily: number;
}

const PROGRESS_EVERY = 1000;

/** Writes the simulated business into `dir` (created if needed; files there are overwritten). */
export function writeBusiness(
  dir: string,
  simulation: BusinessSimulation,
  options: WriteBusinessOptions = {},
): BusinessSummary {
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'truth'), { recursive: true });
  writeFileSync(join(dir, CONFIG_FILE), DEMO_CONFIG);
  const { world, population, customers } = simulation;
  const writer = new BusinessWriter(dir, simulation, qualityRandom(simulation));
  writeMarket(writer, simulation);
  const testAccounts = testAccountCount(customers);
  let nextTest = 0;
  let voluntary = 0;
  let involuntary = 0;
  try {
    for (let i = 0; i < customers; i++) {
      // Test account k sits before customer ⌊(k + ½)·n / count⌋: spread through the files.
      while (nextTest < testAccounts && i === Math.floor(((nextTest + 0.5) * customers) / testAccounts)) {
        writer.testAccount(nextTest++);
      }
      writer.customer(i);
      const outcome = simulateCustomer(world, population, i, customerRandom(simulation, i), writer);
      writer.outcome(i, outcome);
      if (outcome.churnSecond >= 0) {
        if (outcome.voluntary) voluntary++;
        else involuntary++;
      }
      if ((i + 1) % PROGRESS_EVERY === 0) options.onProgress?.('customers', i + 1, customers);
    }
    while (nextTest < testAccounts) writer.testAccount(nextTest++);
  } finally {
    writer.close();
  }
  options.onProgress?.('customers', customers, customers);
  const rows = Object.fromEntries(SOURCE_KINDS.map((kind) => [kind, writer.sources[kind].rows])) as Record<
    SourceKind,
    number
  >;
  return {
    rows,
    badRows: { ...writer.badRows },
    customers,
    testAccounts,
    churnedVoluntarily: voluntary,
    churnedInvoluntarily: involuntary,
  };
}

/** A truth/market.csv row of a competitor promotion. */
export function promotionRow(calendar: Calendar, p: CompetitorPromotion): string {
  const row = [
    'competitor_promotion',
    REGIONS[p.region],
    '',
    calendar.date(p.startDay),
    calendar.date(p.endDay),
  ];
  return [...row, p.strength.toFixed(3)].join(',');
}

/** truth/market.csv: the competitor promotions and the price increase, as dates. */
function writeMarket(writer: BusinessWriter, simulation: BusinessSimulation): void {
  const { calendar, promotions, priceIncreaseDay } = simulation.world;
  const file = writer.truth.market;
  for (const p of promotions) file.write(promotionRow(calendar, p));
  if (priceIncreaseDay < calendar.days) {
    for (const plan of PLANS) {
      if (plan.raisedFee === plan.fee) continue;
      const change = (plan.raisedFee / plan.fee - 1).toFixed(3);
      file.write(['price_increase', '', plan.name, calendar.date(priceIncreaseDay), '', change].join(','));
    }
  }
}
