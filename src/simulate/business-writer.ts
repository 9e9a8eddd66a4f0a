// The rows of the demo business as CSV: the five source files the product ingests (with the planted bad
// rows, each logged with its file, line and kind) and the ground-truth files it never sees.

import { join } from 'node:path';
import type { SourceKind } from '../config/config-schema.js';
import type { Random } from '../ml/random.js';
import type { ActivitySink, CustomerOutcome } from './behaviour.js';
import type { BusinessSimulation } from './business.js';
import { customerId } from './business.js';
import {
  CHURN_CAUSES,
  EVENT_TYPES,
  PAYMENT_METHODS,
  PLANS,
  PRODUCTS,
  REGIONS,
  SEGMENTS,
  STATED_REASONS,
  TICKET_CATEGORIES,
  VALUE_TIERS,
} from './business-model.js';
import { type Calendar, SECONDS_PER_DAY } from './calendar.js';
import { CsvFile } from './csv-file.js';
import {
  BAD_ROW_KINDS,
  BAD_ROW_RATES,
  type BadRowKind,
  futureTimestamp,
  plantAfter,
  testAccountId,
  unparseableTimestamp,
} from './data-quality.js';
import { personalFields } from './names.js';

/** The source files, relative to the demo folder. */
export const DATA_FILES = {
  customers: 'data/customers.csv',
  events: 'data/events.csv',
  transactions: 'data/transactions.csv',
  tickets: 'data/tickets.csv',
  cancellations: 'data/cancellations.csv',
} as const satisfies Record<SourceKind, string>;

/** The ground-truth files, relative to the demo folder. */
export const TRUTH_FILES = {
  customers: 'truth/customers.csv',
  hazard: 'truth/hazard.csv',
  badRows: 'truth/bad_rows.csv',
  market: 'truth/market.csv',
} as const;

/** The header of each source file. */
export const HEADERS = {
  customers: [
    'customer_id',
    'signup_at',
    'segment',
    'region',
    'plan',
    'value_tier',
    'name',
    'phone',
    'email',
  ],
  events: ['customer_id', 'ts', 'event_type'],
  transactions: ['customer_id', 'ts', 'amount', 'product', 'payment_method'],
  tickets: ['customer_id', 'opened_at', 'resolved_at', 'category', 'satisfaction'],
  // The customer's own words, mapped onto our field `reason` by DEMO_CONFIG (a mapping a real export needs too).
  cancellations: ['customer_id', 'cancelled_at', 'stated_reason', 'voluntary'],
} as const satisfies Record<SourceKind, readonly string[]>;

export const TRUTH_HEADERS = {
  customers: [
    'customer_id',
    'signup_at',
    'segment',
    'region',
    'plan',
    'value_tier',
    'payment_method',
    'engagement',
    'price_sensitivity',
    'service_sensitivity',
    'competitor_exposure',
    'payment_failure',
    'churned_at',
    'cause',
    'voluntary',
  ],
  hazard: ['customer_id', 'month', 'hazard'],
  badRows: ['file', 'line', 'kind'],
  market: ['kind', 'region', 'plan', 'starts_on', 'ends_on', 'strength'],
} as const;

/** Products as written: the shop's categories, then one membership fee per plan. */
export const PRODUCT_NAMES = [...PRODUCTS, ...PLANS.map((plan) => `membership_${plan.name}`)];

/** Writes rows as the simulation produces them; `close` when done. */
export class BusinessWriter implements ActivitySink {
  readonly sources: Record<SourceKind, CsvFile>;
  readonly truth: Record<keyof typeof TRUTH_FILES, CsvFile>;
  readonly badRows = Object.fromEntries(BAD_ROW_KINDS.map((k) => [k, 0])) as Record<BadRowKind, number>;
  private readonly calendar: Calendar;
  private currentIndex = -1;
  private currentId = '';
  private unknownCustomers = 0;

  constructor(
    dir: string,
    private readonly simulation: BusinessSimulation,
    private readonly quality: Random,
  ) {
    this.calendar = simulation.world.calendar;
    const open = <K extends string>(paths: Record<K, string>, headers: Record<K, readonly string[]>) =>
      Object.fromEntries(
        (Object.keys(paths) as K[]).map((key) => [key, new CsvFile(join(dir, paths[key]), headers[key])]),
      ) as Record<K, CsvFile>;
    this.sources = open(DATA_FILES, HEADERS);
    this.truth = open(TRUTH_FILES, TRUTH_HEADERS);
  }

  /** The profile row of customer i. */
  customer(i: number): void {
    const p = this.simulation.population;
    const row = [
      this.idOf(i),
      this.calendar.timestamp(p.signupSecond[i]!),
      SEGMENTS[p.segment[i]!],
      REGIONS[p.region[i]!],
      PLANS[p.plan[i]!]!.name,
      VALUE_TIERS[p.valueTier[i]!],
    ];
    const personal = personalFields(this.simulation.seed, i);
    row.push(personal.name, personal.phone, personal.email);
    this.sources.customers.write(row.join(','));
  }

  event(i: number, second: number, eventType: number): void {
    const ts = this.calendar.timestamp(second);
    const type = EVENT_TYPES[eventType]!;
    const row = `${this.idOf(i)},${ts},${type}`;
    this.sources.events.write(row);
    const kind = plantAfter(this.quality, BAD_ROW_RATES.events);
    if (kind === undefined) return;
    const id = this.idOf(i);
    if (kind === 'duplicate') this.bad('events', row, kind);
    else if (kind === 'future_timestamp') {
      this.bad('events', `${id},${futureTimestamp(ts, this.quality)},${type}`, kind);
    } else if (kind === 'bad_timestamp') {
      this.bad('events', `${id},${unparseableTimestamp(ts, this.quality)},${type}`, kind);
    } else this.bad('events', `${this.unknownCustomerId()},${ts},${type}`, kind);
  }

  purchase(i: number, second: number, cents: number, product: number, paymentMethod: number): void {
    const ts = this.calendar.timestamp(second);
    const id = this.idOf(i);
    const rest = `${PRODUCT_NAMES[product]},${PAYMENT_METHODS[paymentMethod]}`;
    const row = `${id},${ts},${money(cents)},${rest}`;
    this.sources.transactions.write(row);
    const kind = plantAfter(this.quality, BAD_ROW_RATES.transactions);
    if (kind === undefined) return;
    if (kind === 'duplicate') this.bad('transactions', row, kind);
    else if (kind === 'negative_amount')
      this.bad('transactions', `${id},${ts},-${money(cents)},${rest}`, kind);
    else
      this.bad(
        'transactions',
        `${id},${unparseableTimestamp(ts, this.quality)},${money(cents)},${rest}`,
        kind,
      );
  }

  ticket(i: number, opened: number, resolved: number, category: number, satisfaction: number): void {
    const row = [
      this.idOf(i),
      this.calendar.timestamp(opened),
      resolved < 0 ? '' : this.calendar.timestamp(resolved),
      TICKET_CATEGORIES[category],
      satisfaction > 0 ? String(satisfaction) : '',
    ].join(',');
    this.sources.tickets.write(row);
    if (plantAfter(this.quality, BAD_ROW_RATES.tickets) === 'duplicate')
      this.bad('tickets', row, 'duplicate');
  }

  cancellation(i: number, second: number, statedReason: number, voluntary: boolean): void {
    const row = `${this.idOf(i)},${this.calendar.timestamp(second)},${STATED_REASONS[statedReason]},${voluntary}`;
    this.sources.cancellations.write(row);
  }

  monthlyHazard(i: number, monthStartDay: number, probability: number): void {
    this.truth.hazard.write(`${this.idOf(i)},${this.calendar.date(monthStartDay)},${probability.toFixed(6)}`);
  }

  /** The ground-truth row of customer i once its life is simulated. */
  outcome(i: number, outcome: CustomerOutcome): void {
    const p = this.simulation.population;
    const churned = outcome.churnSecond >= 0;
    const row = [
      this.idOf(i),
      this.calendar.timestamp(p.signupSecond[i]!),
      SEGMENTS[p.segment[i]!],
      REGIONS[p.region[i]!],
      PLANS[p.plan[i]!]!.name,
      VALUE_TIERS[p.valueTier[i]!],
      PAYMENT_METHODS[p.paymentMethod[i]!],
      p.engagement[i]!.toFixed(4),
      p.priceSensitivity[i]!.toFixed(4),
      p.serviceSensitivity[i]!.toFixed(4),
      p.competitorExposure[i]!.toFixed(4),
      p.paymentFailure[i]!.toFixed(4),
      churned ? this.calendar.timestamp(outcome.churnSecond) : '',
      churned ? CHURN_CAUSES[outcome.cause] : '',
      churned ? String(outcome.voluntary) : '',
    ];
    this.truth.customers.write(row.join(','));
  }

  /**
   * Test account k: a profile and a few days of clicking around and paying 0.01, all of it to be
   * quarantined. Drawn from the bad-row stream, so real customers' lives are not affected.
   */
  testAccount(k: number): void {
    const random = this.quality;
    const id = testAccountId(k);
    const days = this.calendar.days;
    // Up to four sessions a day or so apart: started six days before the end at the latest, all in the data.
    const day = random.nextInt(Math.max(1, days - 6));
    let second = day * SECONDS_PER_DAY + 9 * 3600 + random.nextInt(8 * 3600);
    const profile = `${id},${this.calendar.timestamp(second)},consumer,华东,basic,bronze,测试账号,,qa@example.com`;
    this.bad('customers', profile, 'test_account');
    const sessions = 1 + random.nextInt(4);
    for (let s = 0; s < sessions; s++) {
      second += 60 + random.nextInt(SECONDS_PER_DAY);
      if (second >= days * SECONDS_PER_DAY) break;
      for (const type of ['login', 'visit', 'page_view', 'page_view']) {
        second += 1 + random.nextInt(30);
        this.bad('events', `${id},${this.calendar.timestamp(second)},${type}`, 'test_account');
      }
      if (random.next() < 0.5) {
        const row = `${id},${this.calendar.timestamp(second + 5)},0.01,grocery,alipay`;
        this.bad('transactions', row, 'test_account');
      }
    }
  }

  close(): void {
    for (const file of [...Object.values(this.sources), ...Object.values(this.truth)]) file.close();
  }

  /** Writes a bad row into a source file and logs where it is. */
  private bad(source: SourceKind, row: string, kind: BadRowKind): void {
    const line = this.sources[source].write(row);
    this.truth.badRows.write(`${DATA_FILES[source]},${line},${kind}`);
    this.badRows[kind]++;
  }

  private idOf(i: number): string {
    if (i !== this.currentIndex) {
      this.currentIndex = i;
      this.currentId = customerId(i);
    }
    return this.currentId;
  }

  /** Ids beyond the population's: customers deleted from the CRM whose events still arrive. */
  private unknownCustomerId(): string {
    return customerId(this.simulation.customers + 1000 + this.unknownCustomers++);
  }
}

/** Cents as `123.45`. */
export function money(cents: number): string {
  const rest = cents % 100;
  return `${(cents - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
}
