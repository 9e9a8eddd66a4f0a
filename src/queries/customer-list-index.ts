// The at-risk list held in memory: every scored customer's latest score joined with the profile fields the
// list filters on and shows, as columns (typed arrays where the values are numbers or codes). Filters, sort
// and paging run here; list-customers.ts keeps the SQL form as the reference this must equal.

import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import {
  LATEST_SCORES_FRESH_SQL,
  LATEST_SCORES_TABLE,
  LATEST_SCORES_WITH_VALUE_SQL,
} from './latest-scores-table.js';
import type {
  CustomerListPage,
  CustomerListRow,
  CustomerSort,
  ListCustomersParams,
} from './list-customers.js';

/** The list's rows by column; row i of every column is one customer. */
export interface CustomerListIndex {
  size: number;
  ids: string[];
  names: (string | null)[];
  phones: (string | null)[];
  emails: (string | null)[];
  segments: (string | null)[];
  regions: (string | null)[];
  plans: (string | null)[];
  probabilities: Float64Array;
  values: Float64Array;
  tiers: string[];
  reasonsEn: string[];
  reasonsZh: string[];
  /** The stored drivers JSON, parsed only for the rows of a page. */
  drivers: string[];
  scoredAt: string[];
  modelVersions: Float64Array;
  /** Lower case as the warehouse's lower() makes it, so that matching equals the SQL form's. */
  idsLower: string[];
  namesLower: (string | null)[];
  emailsLower: (string | null)[];
  reasonsEnLower: string[];
  /** Codes into `segmentNames` (-1: none), `tierNames`, and the drivers' feature names (`featureNames`). */
  segmentCodes: Int32Array;
  segmentNames: string[];
  tierCodes: Int32Array;
  tierNames: string[];
  /** Row i's driver features are `featureCodes[featureStarts[i] .. featureStarts[i + 1])`. */
  featureStarts: Int32Array;
  featureCodes: Int32Array;
  featureNames: string[];
  /** Rank of each row's id in the warehouse's (binary) string order. */
  idRanks: Int32Array;
  /** Row numbers in list order per sort and direction, made on first use. */
  orders: Map<string, Int32Array>;
  /** Per reason asked for, which rows match it (1), made on first use: the same few reasons recur. */
  reasonMatches: Map<string, Uint8Array>;
  /** Per filters, sort and direction, the matching rows in list order (see matchedRows). */
  filtered: Map<string, Int32Array>;
}

/** Filter combinations whose matching rows are kept per list; the least recently used goes first. */
const KEPT_FILTERS = 64;

/** Reasons whose matches are kept per list; the first kept goes first when more are asked. */
const KEPT_REASONS = 256;

/** Needles already lower-cased by the warehouse's rules (the caller asks it when they are not ASCII). */
export interface LoweredNeedles {
  reason?: string;
  search?: string;
}

/** Reads the whole list from the warehouse: from `latest_scores` while its stamp is fresh, else live. */
export async function loadCustomerListIndex(db: SqlRunner, useTable: boolean): Promise<CustomerListIndex> {
  let source = `(${LATEST_SCORES_WITH_VALUE_SQL})`;
  if (useTable) {
    const [stamp] = await db.all<{ fresh: boolean }>(LATEST_SCORES_FRESH_SQL);
    if (stamp?.fresh) source = LATEST_SCORES_TABLE;
  }
  // One row per customer as the SQL form lists it; lower() and the features list are taken here so that
  // matching uses the warehouse's own rules.
  const rows = await db.all<Record<string, SqlCell | string[]>>(
    `SELECT l.customer_id AS id, lower(l.customer_id) AS id_lower, c.name, lower(c.name) AS name_lower, c.phone,
       c.email, lower(c.email) AS email_lower, c.segment, c.region, c.plan, l.probability, l.tier, l.reasons_en,
       lower(l.reasons_en) AS reasons_en_lower, l.reasons_zh, l.drivers,
       json_extract_string(l.drivers, '$[*].feature') AS features, strftime(l.scored_at, '%Y-%m-%d') AS scored_at,
       l.model_version, l.value
     FROM ${source} AS l JOIN customers AS c ON c.customer_id = l.customer_id`,
  );
  return indexOf(rows);
}

function indexOf(rows: Record<string, SqlCell | string[]>[]): CustomerListIndex {
  const size = rows.length;
  const text = (value: SqlCell | string[] | undefined) =>
    value === null || value === undefined ? null : String(value);
  const column = (key: string) => rows.map((row) => text(row[key]));
  const required = (key: string) => rows.map((row) => String(row[key]));
  const numbers = (key: string) => Float64Array.from(rows, (row) => Number(row[key]));
  const segments = column('segment');
  const tiers = required('tier');
  const segmentDictionary = new Dictionary();
  const tierDictionary = new Dictionary();
  const featureDictionary = new Dictionary();
  const featureStarts = new Int32Array(size + 1);
  const featureCodes: number[] = [];
  rows.forEach((row, i) => {
    const features = row.features;
    // A NULL in the features list never equals a needle (list_contains skips NULLs), so it gets no code.
    if (Array.isArray(features)) {
      for (const feature of features)
        if (feature !== null) featureCodes.push(featureDictionary.code(feature));
    }
    featureStarts[i + 1] = featureCodes.length;
  });
  const ids = required('id');
  const byId = Int32Array.from(ids.keys()).sort((a, b) => compareBinary(ids[a]!, ids[b]!));
  const idRanks = new Int32Array(size);
  byId.forEach((row, rank) => {
    idRanks[row] = rank;
  });
  return {
    size,
    ids,
    names: column('name'),
    phones: column('phone'),
    emails: column('email'),
    segments,
    regions: column('region'),
    plans: column('plan'),
    probabilities: numbers('probability'),
    values: numbers('value'),
    tiers,
    reasonsEn: required('reasons_en'),
    reasonsZh: required('reasons_zh'),
    drivers: required('drivers'),
    scoredAt: required('scored_at'),
    modelVersions: numbers('model_version'),
    idsLower: required('id_lower'),
    namesLower: column('name_lower'),
    emailsLower: column('email_lower'),
    reasonsEnLower: required('reasons_en_lower'),
    segmentCodes: Int32Array.from(segments, (s) => (s === null ? -1 : segmentDictionary.code(s))),
    segmentNames: segmentDictionary.names,
    tierCodes: Int32Array.from(tiers, (t) => tierDictionary.code(t)),
    tierNames: tierDictionary.names,
    featureStarts,
    featureCodes: Int32Array.from(featureCodes),
    featureNames: featureDictionary.names,
    idRanks,
    orders: new Map([['id:asc', byId]]),
    reasonMatches: new Map(),
    filtered: new Map(),
  };
}

/** One page and the total, as the SQL form answers the same parameters (needles lowered by the caller). */
export function queryCustomerListIndex(
  index: CustomerListIndex,
  params: ListCustomersParams,
  lowered: LoweredNeedles,
): CustomerListPage {
  const matched = matchedRows(index, params, lowered);
  // Rows after a cursor are a suffix of the list order: the first of them is found by bisection.
  let start = params.offset;
  if (params.after) {
    const beyond = afterCursor(index, params);
    let low = 0;
    let high = matched.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (beyond(matched[middle]!)) high = middle;
      else low = middle + 1;
    }
    start = low;
  }
  const page = matched.subarray(
    Math.min(start, matched.length),
    Math.min(start + params.limit, matched.length),
  );
  return { total: matched.length, rows: Array.from(page, (i) => rowOf(index, i)) };
}

/**
 * The rows matching the filters, in list order. Kept per filters, sort and direction (KEPT_FILTERS of them):
 * the pages of one list and the same few filters recur, and a page is then a slice instead of a scan.
 */
function matchedRows(
  index: CustomerListIndex,
  params: ListCustomersParams,
  lowered: LoweredNeedles,
): Int32Array {
  const key = JSON.stringify([
    params.tiers ?? null,
    params.segment ?? null,
    params.reason ?? null,
    lowered.reason ?? null,
    params.minProbability ?? null,
    params.maxProbability ?? null,
    params.search ?? null,
    lowered.search ?? null,
    params.searchPersonal,
    params.sort,
    params.order,
  ]);
  const kept = index.filtered.get(key);
  if (kept !== undefined) {
    // Used again: moved to the back of the queue of entries to drop.
    index.filtered.delete(key);
    index.filtered.set(key, kept);
    return kept;
  }
  const matches = matcher(index, params, lowered);
  const { order, reversed } = rowOrder(index, params.sort, params.order);
  const n = index.size;
  const found = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const i = order[reversed ? n - 1 - k : k]!;
    if (matches(i)) found[count++] = i;
  }
  const matched = found.slice(0, count);
  if (index.filtered.size >= KEPT_FILTERS)
    index.filtered.delete(index.filtered.keys().next().value as string);
  index.filtered.set(key, matched);
  return matched;
}

/** The filters as one test of a row number; made once per request, nothing allocated per row. */
function matcher(
  index: CustomerListIndex,
  params: ListCustomersParams,
  lowered: LoweredNeedles,
): (i: number) => boolean {
  const { tierCodes, segmentCodes, probabilities } = index;
  let tierAllowed: Uint8Array | null = null;
  if (params.tiers && params.tiers.length > 0) {
    tierAllowed = new Uint8Array(index.tierNames.length);
    for (const tier of params.tiers) {
      const code = index.tierNames.indexOf(tier);
      if (code >= 0) tierAllowed[code] = 1;
    }
  }
  // An unknown segment matches no row: code -2 is never stored.
  const segment = params.segment === undefined ? null : index.segmentNames.indexOf(params.segment);
  const segmentCode = segment === null ? null : segment < 0 ? -2 : segment;
  const reasonRows =
    params.reason === undefined ? null : reasonMatches(index, params.reason, lowered.reason!);
  const min = params.minProbability;
  const max = params.maxProbability;
  const search = params.search;
  const searchLower = lowered.search;
  const personal = params.searchPersonal;
  const { idsLower, namesLower, phones, emailsLower } = index;
  return (i) => {
    if (tierAllowed !== null && tierAllowed[tierCodes[i]!] !== 1) return false;
    if (segmentCode !== null && segmentCodes[i] !== segmentCode) return false;
    if (min !== undefined && !(probabilities[i]! >= min)) return false;
    if (max !== undefined && !(probabilities[i]! <= max)) return false;
    if (reasonRows !== null && reasonRows[i] !== 1) return false;
    if (search !== undefined) {
      if (idsLower[i]!.startsWith(searchLower!)) return true;
      if (!personal) return false;
      return (
        namesLower[i]?.includes(searchLower!) === true ||
        phones[i]?.includes(search) === true ||
        emailsLower[i]?.includes(searchLower!) === true
      );
    }
    return true;
  };
}

/** Which rows match `reason`: one of its drivers, or a part of its reasons (`lower`: the needle lowered). */
function reasonMatches(index: CustomerListIndex, reason: string, lower: string): Uint8Array {
  const key = `${reason}\u0000${lower}`;
  let rows = index.reasonMatches.get(key);
  if (rows !== undefined) return rows;
  rows = new Uint8Array(index.size);
  const code = index.featureNames.indexOf(reason);
  const { featureStarts, featureCodes, reasonsEnLower, reasonsZh } = index;
  for (let i = 0; i < index.size; i++) {
    let found = false;
    if (code >= 0) {
      for (let f = featureStarts[i]!; f < featureStarts[i + 1]! && !found; f++)
        found = featureCodes[f] === code;
    }
    if (found || reasonsEnLower[i]!.includes(lower) || reasonsZh[i]!.includes(reason)) rows[i] = 1;
  }
  if (index.reasonMatches.size >= KEPT_REASONS) {
    index.reasonMatches.delete(index.reasonMatches.keys().next().value as string);
  }
  index.reasonMatches.set(key, rows);
  return rows;
}

/** Rows after the cursor in (sort key, id) order; ids break ties ascending whatever the direction. */
function afterCursor(index: CustomerListIndex, params: ListCustomersParams): (i: number) => boolean {
  const after = params.after!;
  const asc = params.order === 'asc';
  const { ids } = index;
  if (params.sort === 'id') {
    return asc ? (i) => compareBinary(ids[i]!, after.id) > 0 : (i) => compareBinary(ids[i]!, after.id) < 0;
  }
  const keys = params.sort === 'probability' ? index.probabilities : index.values;
  const key = Number(after.key);
  return (i) => {
    const value = keys[i]!;
    if (asc ? value > key : value < key) return true;
    return value === key && compareBinary(ids[i]!, after.id) > 0;
  };
}

/** Row numbers in list order; id descending is id ascending read backwards. */
function rowOrder(
  index: CustomerListIndex,
  sort: CustomerSort,
  order: 'asc' | 'desc',
): { order: Int32Array; reversed: boolean } {
  if (sort === 'id') return { order: index.orders.get('id:asc')!, reversed: order === 'desc' };
  const name = `${sort}:${order}`;
  let rows = index.orders.get(name);
  if (rows === undefined) {
    const keys = sort === 'probability' ? index.probabilities : index.values;
    const ranks = index.idRanks;
    const sign = order === 'asc' ? 1 : -1;
    rows = Int32Array.from(ranks.keys()).sort(
      (a, b) => sign * (keys[a]! - keys[b]!) || ranks[a]! - ranks[b]!,
    );
    index.orders.set(name, rows);
  }
  return { order: rows, reversed: false };
}

function rowOf(index: CustomerListIndex, i: number): CustomerListRow {
  const drivers = JSON.parse(index.drivers[i]!) as { feature: string }[];
  return {
    id: index.ids[i]!,
    name: index.names[i]!,
    phone: index.phones[i]!,
    email: index.emails[i]!,
    segment: index.segments[i]!,
    region: index.regions[i]!,
    plan: index.plans[i]!,
    probability: index.probabilities[i]!,
    tier: index.tiers[i]!,
    reasons: { en: index.reasonsEn[i]!, 'zh-CN': index.reasonsZh[i]! },
    drivers: drivers.map((d) => d.feature),
    value: index.values[i]!,
    scoredAt: index.scoredAt[i]!,
    modelVersion: index.modelVersions[i]!,
  };
}

/**
 * Compares strings as the warehouse orders VARCHAR: by UTF-8 bytes, which is code point order. UTF-16 code
 * units agree with it except that surrogates (U+D800–DFFF, the halves of code points above U+FFFF) must sort
 * after U+E000–FFFF.
 */
export function compareBinary(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(k);
    const y = b.charCodeAt(k);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

/** Lifts surrogates above the rest of the basic plane, so code units compare as code points do. */
function fixup(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;
}

/** Codes for strings in order of first sight. */
class Dictionary {
  readonly names: string[] = [];
  private readonly codes = new Map<string, number>();

  code(name: string): number {
    let code = this.codes.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.codes.set(name, code);
      this.names.push(name);
    }
    return code;
  }
}
