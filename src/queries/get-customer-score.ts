// One customer's latest score — what systems poll after appending a customer's events, many times a second
// while a stream arrives. The warehouse answers it with a scan of the whole score history, so the server
// holds the latest score per customer in memory instead and, after a write to `scores`, reads only the rows
// written since. That is exact for the writes scoring makes: rows are added, and re-scoring customers on a
// day deletes exactly the rows it writes again. A run over the whole population (which may drop a customer
// from a day) writes so many rows that the whole table is read again, as it is when rows went away.

import { GenerationSlot, perWarehouse } from '../warehouse/generation-cache.js';
import { generationOf, type SqlCell, type SqlRunner, type Warehouse } from '../warehouse/warehouse.js';

/** A latest score as stored. */
export interface LatestScoreRow {
  customer_id: string;
  probability: number;
  tier: 'high' | 'medium' | 'low';
  reasons_en: string;
  reasons_zh: string;
  drivers: string;
  scored_at: string;
  model_version: number;
  created_at: SqlCell;
  /** created_at as epoch microseconds, to compare rows. */
  written: number;
}

const COLUMNS = `customer_id, probability, tier, reasons_en, reasons_zh, drivers,
  CAST(scored_at AS VARCHAR) AS scored_at, model_version, created_at, epoch_us(created_at) AS written`;

/** The latest score of `customerId`, or null when it has none. */
export async function getCustomerScore(db: SqlRunner, customerId: string): Promise<LatestScoreRow | null> {
  const generation = generationOf(db, ['scores']);
  if (generation === null) {
    const [row] = await db.all<LatestScoreRow>(
      `SELECT ${COLUMNS} FROM scores WHERE customer_id = ? ORDER BY scored_at DESC, created_at DESC LIMIT 1`,
      [customerId],
    );
    return row ?? null;
  }
  const held = await heldScores(db as Warehouse).get(generation, () => refresh(db as Warehouse));
  return held.latest.get(customerId) ?? null;
}

interface HeldScores {
  latest: Map<string, LatestScoreRow>;
  rows: number;
  /** The newest created_at read (epoch µs): the next refresh reads rows from it on. */
  newest: number;
}

/** More rows written since the last read than 1/FULL_RUN_SHARE of the customers: a full run, read it all. */
const FULL_RUN_SHARE = 4;

const state = perWarehouse(() => ({
  slot: new GenerationSlot<HeldScores>(),
  last: null as HeldScores | null,
}));

function heldScores(warehouse: Warehouse) {
  return state(warehouse).slot;
}

/** The held scores brought up to date: the rows written since the last read, or all when rows went away. */
async function refresh(warehouse: Warehouse): Promise<HeldScores> {
  const own = state(warehouse);
  const [count] = await warehouse.all<{ n: number }>('SELECT count(*) AS n FROM scores');
  const rows = Number(count?.n ?? 0);
  const previous = own.last;
  let held: HeldScores;
  // `>=`: rows of one transaction share its start time, and a later write may start in the same microsecond.
  const added =
    previous && rows >= previous.rows
      ? await warehouse.all<LatestScoreRow>(`SELECT ${COLUMNS} FROM scores WHERE epoch_us(created_at) >= ?`, [
          previous.newest,
        ])
      : null;
  if (previous && added && added.length <= previous.latest.size / FULL_RUN_SHARE) {
    const latest = new Map(previous.latest);
    let newest = previous.newest;
    for (const row of added) {
      keepNewer(latest, row);
      newest = Math.max(newest, Number(row.written));
    }
    held = { latest, rows, newest };
  } else {
    const all = await warehouse.all<LatestScoreRow>(
      `SELECT ${COLUMNS} FROM scores
       QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY scored_at DESC, created_at DESC) = 1`,
    );
    const latest = new Map<string, LatestScoreRow>();
    let newest = 0;
    for (const row of all) {
      latest.set(row.customer_id, row);
      newest = Math.max(newest, Number(row.written));
    }
    held = { latest, rows, newest };
  }
  own.last = held;
  return held;
}

/** Keeps `row` for its customer when it is the latest: a later scoring date, or the same date written later. */
function keepNewer(latest: Map<string, LatestScoreRow>, row: LatestScoreRow): void {
  const current = latest.get(row.customer_id);
  if (
    !current ||
    row.scored_at > current.scored_at ||
    (row.scored_at === current.scored_at && Number(row.written) >= Number(current.written))
  ) {
    latest.set(row.customer_id, row);
  }
}
