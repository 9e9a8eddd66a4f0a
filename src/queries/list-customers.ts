// The at-risk list: every scored customer's latest score joined with the profile, filtered, sorted and paged
// (offset or keyset cursor), with the total for the filters. Value = spend in the 90 days before the score.
// A warehouse answers from the list held in memory (customer-list-index.ts), read again after any write to
// the tables it comes from; a transaction's runner, and the tests as the reference, use the SQL form, which
// reads the materialised `latest_scores` while it is fresh (see latest-scores-table.ts), else live.

import { GenerationSlot, perWarehouse } from '../warehouse/generation-cache.js';
import { generationOf, type SqlCell, type SqlParam, type SqlRunner } from '../warehouse/warehouse.js';
import {
  type CustomerListIndex,
  type LoweredNeedles,
  loadCustomerListIndex,
  queryCustomerListIndex,
} from './customer-list-index.js';
import {
  hasLatestScoresTable,
  LATEST_SCORES_FRESH_SQL,
  LATEST_SCORES_STAMP,
  LATEST_SCORES_TABLE,
  LATEST_SCORES_WITH_VALUE_SQL,
} from './latest-scores-table.js';

export type CustomerSort = 'probability' | 'value' | 'id';

export interface ListCustomersParams {
  tiers?: readonly string[];
  segment?: string;
  /** A driver's feature name, or a word of the reasons (en or zh-CN). */
  reason?: string;
  minProbability?: number;
  maxProbability?: number;
  /** A customer id prefix; with `searchPersonal`, also a part of the name, phone or e-mail. */
  search?: string;
  searchPersonal: boolean;
  sort: CustomerSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** The last row of the previous page: rows after it (ignores `offset`). */
  after?: { key: number | string; id: string };
}

/** One row of the list, personal fields as stored (the caller masks them). */
export interface CustomerListRow {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  segment: string | null;
  region: string | null;
  plan: string | null;
  probability: number;
  tier: string;
  reasons: { en: string; 'zh-CN': string };
  /** Feature names of the main drivers, strongest first. */
  drivers: string[];
  value: number;
  scoredAt: string;
  modelVersion: number;
}

export interface CustomerListPage {
  total: number;
  rows: CustomerListRow[];
}

const SORT_COLUMN: Record<CustomerSort, string> = { probability: 'probability', value: 'value', id: 'id' };

/** Every table the list is read from: a write to any of them means reading it again. */
const LIST_TABLES = [
  'scores',
  'customers',
  'transactions',
  'cancellations',
  LATEST_SCORES_TABLE,
  LATEST_SCORES_STAMP,
];

/** The list in memory for one warehouse, with the generation it was read at. */
const loadedLists = perWarehouse(() => new GenerationSlot<CustomerListIndex>());

/** One page of the list and the number of customers matching the filters. */
export async function listCustomers(db: SqlRunner, params: ListCustomersParams): Promise<CustomerListPage> {
  const generation = generationOf(db, LIST_TABLES);
  if (generation === null) return listCustomersSql(db, params);
  const [index, lowered] = await Promise.all([listIndex(db, generation), lowerNeedles(db, params)]);
  return queryCustomerListIndex(index, params, lowered);
}

/** Loads the list into memory, so the first requests after a server starts do not wait for it. */
export async function warmCustomerList(db: SqlRunner): Promise<void> {
  const generation = generationOf(db, LIST_TABLES);
  if (generation !== null) await listIndex(db, generation);
}

/** The list in memory as of `generation`: loaded once, shared by the requests that arrive meanwhile. */
function listIndex(db: SqlRunner, generation: number): Promise<CustomerListIndex> {
  return loadedLists(db).get(generation, async () =>
    loadCustomerListIndex(db, await hasLatestScoresTable(db)),
  );
}

/**
 * The needles lower-cased as the warehouse's lower() does: by JavaScript for printable ASCII (where the two
 * agree), else by the warehouse.
 */
async function lowerNeedles(db: SqlRunner, params: ListCustomersParams): Promise<LoweredNeedles> {
  const lower = async (text: string | undefined) => {
    if (text === undefined) return undefined;
    if (!/[^ -~]/.test(text)) return text.toLowerCase();
    const [row] = await db.all<{ lowered: string }>('SELECT lower(?) AS lowered', [text]);
    return String(row!.lowered);
  };
  return { reason: await lower(params.reason), search: await lower(params.search) };
}

/** The list as the SQL form answers it: the reference the in-memory list must equal. */
export async function listCustomersSql(
  db: SqlRunner,
  params: ListCustomersParams,
): Promise<CustomerListPage> {
  if (await hasLatestScoresTable(db)) {
    const page = await readPage(db, params, LATEST_SCORES_TABLE, true);
    if (page) return page;
  }
  return (await readPage(db, params, `(${LATEST_SCORES_WITH_VALUE_SQL})`, false))!;
}

/**
 * One statement for the page and the total (a window count taken before the page's own filter); a second
 * only when the page is empty. From the materialised table (`checked`) the rows come only while its stamp
 * matches the warehouse: null means it is stale and the caller reads live.
 */
async function readPage(
  db: SqlRunner,
  params: ListCustomersParams,
  source: string,
  checked: boolean,
): Promise<CustomerListPage | null> {
  const { where, values } = filters(params);
  if (checked) where.unshift('(SELECT fresh FROM fresh)');
  const base = `WITH ${checked ? `fresh AS (${LATEST_SCORES_FRESH_SQL}),` : ''}
    listed AS (
      SELECT l.customer_id AS id, c.name, c.phone, c.email, c.segment, c.region, c.plan, l.probability, l.tier,
        l.reasons_en, l.reasons_zh, l.drivers, strftime(l.scored_at, '%Y-%m-%d') AS scored_at, l.model_version,
        l.value
      FROM ${source} AS l JOIN customers AS c ON c.customer_id = l.customer_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''})`;
  const column = SORT_COLUMN[params.sort];
  const direction = params.order === 'asc' ? 'ASC' : 'DESC';
  const page: string[] = [];
  const pageValues: SqlParam[] = [];
  if (params.after) {
    // Rows after the cursor in (sort key, id) order; ids break ties ascending whatever the direction.
    const beyond = params.order === 'asc' ? '>' : '<';
    if (params.sort === 'id') {
      page.push(`id ${beyond} ?`);
      pageValues.push(params.after.id);
    } else {
      page.push(`(${column} ${beyond} ? OR (${column} = ? AND id > ?))`);
      pageValues.push(params.after.key, params.after.key, params.after.id);
    }
  }
  const order = params.sort === 'id' ? `id ${direction}` : `${column} ${direction}, id ASC`;
  const rows = await db.all<Record<string, SqlCell>>(
    `${base}, counted AS (SELECT *, count(*) OVER () AS total FROM listed)
     SELECT * FROM counted ${page.length > 0 ? `WHERE ${page.join(' AND ')}` : ''}
     ORDER BY ${order} LIMIT ? OFFSET ?`,
    [...values, ...pageValues, params.limit, params.after ? 0 : params.offset],
  );
  if (rows.length > 0) return { total: Number(rows[0]!.total), rows: rows.map(toRow) };
  const [counted] = await db.all<{ total: number; fresh: boolean }>(
    `${base} SELECT count(*) AS total, ${checked ? '(SELECT fresh FROM fresh)' : 'true'} AS fresh FROM listed`,
    values,
  );
  if (!counted?.fresh) return null;
  return { total: Number(counted.total), rows: [] };
}

function filters(params: ListCustomersParams): { where: string[]; values: SqlParam[] } {
  const where: string[] = [];
  const values: SqlParam[] = [];
  if (params.tiers && params.tiers.length > 0) {
    where.push(`l.tier IN (${params.tiers.map(() => '?').join(', ')})`);
    values.push(...params.tiers);
  }
  if (params.segment !== undefined) {
    where.push('c.segment = ?');
    values.push(params.segment);
  }
  if (params.reason !== undefined) {
    where.push(
      `(list_contains(json_extract_string(l.drivers, '$[*].feature'), ?)
        OR contains(lower(l.reasons_en), lower(?)) OR contains(l.reasons_zh, ?))`,
    );
    values.push(params.reason, params.reason, params.reason);
  }
  if (params.minProbability !== undefined) {
    where.push('l.probability >= ?');
    values.push(params.minProbability);
  }
  if (params.maxProbability !== undefined) {
    where.push('l.probability <= ?');
    values.push(params.maxProbability);
  }
  if (params.search !== undefined) {
    const byId = 'starts_with(lower(l.customer_id), lower(?))';
    if (params.searchPersonal) {
      where.push(
        `(${byId} OR contains(lower(c.name), lower(?)) OR contains(c.phone, ?) OR contains(lower(c.email), lower(?)))`,
      );
      values.push(params.search, params.search, params.search, params.search);
    } else {
      where.push(byId);
      values.push(params.search);
    }
  }
  return { where, values };
}

function toRow(row: Record<string, SqlCell>): CustomerListRow {
  const text = (value: SqlCell) => (value === null || value === undefined ? null : String(value));
  const drivers = JSON.parse(String(row.drivers)) as { feature: string }[];
  return {
    id: String(row.id),
    name: text(row.name),
    phone: text(row.phone),
    email: text(row.email),
    segment: text(row.segment),
    region: text(row.region),
    plan: text(row.plan),
    probability: Number(row.probability),
    tier: String(row.tier),
    reasons: { en: String(row.reasons_en), 'zh-CN': String(row.reasons_zh) },
    drivers: drivers.map((d) => d.feature),
    value: Number(row.value),
    scoredAt: String(row.scored_at),
    modelVersion: Number(row.model_version),
  };
}
