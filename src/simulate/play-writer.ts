// The rows of months played after the data's end, as new files beside the old ones (so the ingest loads
// them as new files, and the demo config's globs find them): data/events-<from>_<to>.csv and the like,
// truth/hazard-<from>_<to>.csv. No bad rows are planted in them and no customer signs up.

import { join } from 'node:path';
import type { ActivitySink } from './behaviour.js';
import { customerId } from './business.js';
import { EVENT_TYPES, PAYMENT_METHODS, STATED_REASONS, TICKET_CATEGORIES } from './business-model.js';
import { HEADERS, money, PRODUCT_NAMES, TRUTH_HEADERS } from './business-writer.js';
import type { Calendar } from './calendar.js';
import { CsvFile } from './csv-file.js';

/** The sources a play writes (customers do not change, so there is no new customers file). */
export const PLAY_SOURCES = ['events', 'transactions', 'tickets', 'cancellations'] as const;
export type PlaySource = (typeof PLAY_SOURCES)[number];

/** `data/events.csv` → `data/events-<suffix>.csv`. */
export function playFile(path: string, suffix: string): string {
  return path.replace(/\.csv$/, `-${suffix}.csv`);
}

/** Writes a play's rows; `close` when done. */
export class PlayWriter implements ActivitySink {
  readonly sources: Record<PlaySource, CsvFile>;
  readonly hazard: CsvFile;

  constructor(
    dir: string,
    suffix: string,
    private readonly calendar: Calendar,
  ) {
    this.sources = Object.fromEntries(
      PLAY_SOURCES.map((kind) => [
        kind,
        new CsvFile(join(dir, playFile(`data/${kind}.csv`, suffix)), HEADERS[kind]),
      ]),
    ) as Record<PlaySource, CsvFile>;
    this.hazard = new CsvFile(join(dir, playFile('truth/hazard.csv', suffix)), TRUTH_HEADERS.hazard);
  }

  event(i: number, second: number, eventType: number): void {
    this.sources.events.write(
      `${customerId(i)},${this.calendar.timestamp(second)},${EVENT_TYPES[eventType]}`,
    );
  }

  purchase(i: number, second: number, cents: number, product: number, paymentMethod: number): void {
    const ts = this.calendar.timestamp(second);
    const rest = `${PRODUCT_NAMES[product]},${PAYMENT_METHODS[paymentMethod]}`;
    this.sources.transactions.write(`${customerId(i)},${ts},${money(cents)},${rest}`);
  }

  ticket(i: number, opened: number, resolved: number, category: number, satisfaction: number): void {
    const row = [
      customerId(i),
      this.calendar.timestamp(opened),
      resolved < 0 ? '' : this.calendar.timestamp(resolved),
      TICKET_CATEGORIES[category],
      satisfaction > 0 ? String(satisfaction) : '',
    ];
    this.sources.tickets.write(row.join(','));
  }

  cancellation(i: number, second: number, statedReason: number, voluntary: boolean): void {
    const ts = this.calendar.timestamp(second);
    this.sources.cancellations.write(`${customerId(i)},${ts},${STATED_REASONS[statedReason]},${voluntary}`);
  }

  monthlyHazard(i: number, monthStartDay: number, probability: number): void {
    this.hazard.write(`${customerId(i)},${this.calendar.date(monthStartDay)},${probability.toFixed(6)}`);
  }

  close(): void {
    for (const file of [...Object.values(this.sources), this.hazard]) file.close();
  }
}
