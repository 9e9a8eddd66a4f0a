// The SQL of ingest: a file read as text into a staging table, then every row typed and either given a
// quarantine reason or none, in one pass. The first failing check is the row's reason, in this order:
//
//   missing_value → bad_timestamp → bad_value → negative_amount → future_timestamp → test_account
//   → unknown_customer (only with a customers source) → duplicate → already_loaded
//
// `duplicate`: profiles and tickets, an earlier row of the file with the same key (customer_id; customer_id
// and opened_at). Facts (events, transactions, cancellations), an earlier row equal in every column of the
// file — mapped fields compared as typed values, the columns no field maps compared as trimmed text — so
// two purchases on one day that differ only in a column churnwatch does not read (CDNOW's number_of_cds)
// are two purchases; with `duplicates: keep`, equal lines are all kept too.
// `already_loaded`: facts only. Stored rows and file rows are matched as multisets on the record key: the
// k-th good row of the file with a key is already loaded when the table holds at least k rows with it, so a
// file that grew is read again without doubling its old rows and without losing a new repeat of an old one.

import type { SourceConfig, SourceKind } from '../config/config-schema.js';
import { sourceFields } from '../config/config-schema.js';
import { quoteIdentifier as id, quoteString as str } from './sql-text.js';

export const QUARANTINE_REASONS = [
  'missing_value',
  'bad_timestamp',
  'bad_value',
  'negative_amount',
  'future_timestamp',
  'test_account',
  'unknown_customer',
  'duplicate',
  'already_loaded',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

type FieldType = 'text' | 'timestamp' | 'double' | 'boolean';

const fieldTypes: Record<string, FieldType> = {
  signup_at: 'timestamp',
  ts: 'timestamp',
  opened_at: 'timestamp',
  resolved_at: 'timestamp',
  cancelled_at: 'timestamp',
  amount: 'double',
  satisfaction: 'double',
  voluntary: 'boolean',
};

/**
 * Rows are the same record when these fields agree. Profiles and tickets change over time (a ticket gets
 * resolved): a later load replaces the stored row with that key. Events, transactions and cancellations
 * are facts: a row whose key is already stored is quarantined as `already_loaded`.
 */
export const recordKeys: Record<SourceKind, { fields: readonly string[]; replaces: boolean }> = {
  customers: { fields: ['customer_id'], replaces: true },
  events: { fields: ['customer_id', 'ts', 'event_type', 'properties'], replaces: false },
  transactions: { fields: ['customer_id', 'ts', 'amount', 'product', 'payment_method'], replaces: false },
  tickets: { fields: ['customer_id', 'opened_at'], replaces: true },
  cancellations: { fields: ['customer_id', 'cancelled_at'], replaces: false },
};

export const STAGING = 'cw_staging';
export const CLASSIFIED = 'cw_classified';

/**
 * SQL that stages a file as text columns, every column VARCHAR, in file order (insertion order must be
 * preserved around it). A CSV is read with its header's columns given and no dialect
 * detection (comma, double quotes), so a row with too many or too few fields is reported as such.
 */
export function stagingSql(
  file: string,
  format: SourceConfig['format'],
  header: readonly string[] = [],
): string {
  const columns = `{${header.map((name) => `${str(name)}: 'VARCHAR'`).join(', ')}}`;
  const reader =
    format === 'csv'
      ? `read_csv(${str(file)}, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"', columns = ${columns})`
      : format === 'ndjson'
        ? `read_json(${str(file)}, format = 'newline_delimited')`
        : `read_parquet(${str(file)})`;
  return `CREATE OR REPLACE TEMP TABLE ${STAGING} AS SELECT COLUMNS(*)::VARCHAR FROM ${reader}`;
}

export interface ClassifyInput {
  kind: SourceKind;
  source: SourceConfig;
  /** Column names of the staged file. */
  fileColumns: readonly string[];
  /** `YYYY-MM-DD HH:MM:SS` (UTC): later timestamps are `future_timestamp`. */
  now: string;
  /** First data row's line in the file: 2 for CSV (after the header), 1 otherwise. */
  firstLine: number;
  testAccounts: { id_pattern?: string; flag_column?: string };
  /**
   * Whether a customers source is configured: only then is an activity row of an id missing from `customers`
   * quarantined as `unknown_customer` (without one, ingest derives the customers from the activity).
   */
  customersSource: boolean;
}

/** Fields of `kind` in table order, with the file column each comes from (undefined: absent, NULL). */
export function fieldSources(
  kind: SourceKind,
  source: SourceConfig,
  fileColumns: readonly string[],
): { field: string; column: string | undefined; required: boolean }[] {
  const { required, optional } = sourceFields[kind];
  const mapping = source.columns as Record<string, string | undefined>;
  return [...required, ...optional].map((field) => {
    const wanted = mapping[field] ?? field;
    return {
      field,
      column: fileColumns.includes(wanted) ? wanted : undefined,
      required: (required as readonly string[]).includes(field),
    };
  });
}

/**
 * CREATE TEMP TABLE cw_classified (line, raw, typed fields, cw_reason, cw_detail) from the staging table. The
 * verdict columns are prefixed: a source's own fields (a cancellation's `reason`) must not shadow them.
 */
export function classifySql(input: ClassifyInput): string {
  const { kind, source, now } = input;
  const fields = fieldSources(kind, source, input.fileColumns);
  const nowSql = `TIMESTAMP ${str(now)}`;
  const typed: string[] = [];
  const checks: { reason: QuarantineReason; when: string; detail: string }[] = [];
  for (const { field, column, required } of fields) {
    const text = column === undefined ? 'NULL::VARCHAR' : `nullif(trim(s.${id(column)}), '')`;
    const type = fieldTypes[field] ?? 'text';
    typed.push(`${text} AS ${id(`${field}__text`)}`, `${typedValue(text, type, source)} AS ${id(field)}`);
    const textRef = id(`${field}__text`);
    if (required) {
      checks.push({
        reason: 'missing_value',
        when: `${textRef} IS NULL`,
        detail: str(`${column ?? field} is empty`),
      });
    }
    if (type === 'timestamp') {
      checks.push({
        reason: 'bad_timestamp',
        when: `${textRef} IS NOT NULL AND ${id(field)} IS NULL`,
        detail: `${str(`${column}: `)} || ${textRef}`,
      });
    } else if (type !== 'text') {
      checks.push({
        reason: 'bad_value',
        when: `${textRef} IS NOT NULL AND ${id(field)} IS NULL`,
        detail: `${str(`${column}: `)} || ${textRef}`,
      });
    }
  }
  if (kind === 'transactions') {
    checks.push({ reason: 'negative_amount', when: '"amount" < 0', detail: `'amount: ' || "amount__text"` });
  }
  for (const { field, column } of fields) {
    if (fieldTypes[field] !== 'timestamp' || column === undefined) continue;
    checks.push({
      reason: 'future_timestamp',
      when: `${id(field)} > ${nowSql}`,
      detail: `${str(`${column}: `)} || ${id(`${field}__text`)}`,
    });
  }
  const testRule = testAccountSql(input);
  if (testRule) checks.push({ reason: 'test_account', when: testRule, detail: 'NULL' });
  if (kind !== 'customers' && input.customersSource) {
    checks.push({
      reason: 'unknown_customer',
      when: `"customer_id" NOT IN (SELECT "customer_id" FROM "customers")`,
      detail: 'NULL',
    });
  }
  const rowReason = `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${str(c.reason)}`).join(' ')} END`;
  const rowDetail = `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${c.detail}`).join(' ')} END`;

  const key = recordKeys[kind];
  const keyList = key.fields.map((f) => id(f)).join(', ');
  const mapped = new Set(fields.flatMap((f) => (f.column === undefined ? [] : [f.column])));
  const unmapped = key.replaces ? [] : input.fileColumns.filter((column) => !mapped.has(column));
  const extras = unmapped.map((column, i) => `nullif(trim(s.${id(column)}), '') AS ${id(`cw_other_${i}`)}`);
  const sameRow = [...key.fields.map((f) => id(f)), ...unmapped.map((_, i) => id(`cw_other_${i}`))].join(
    ', ',
  );
  // A fact source may keep lines equal to earlier ones (`duplicates: keep`); a profile or ticket never.
  const duplicate = !key.replaces && source.duplicates === 'keep' ? 'FALSE' : 'copy_number > 1';
  const sameAs = key.replaces
    ? `same ${key.fields.join(', ')} as line `
    : 'same values in every column as line ';
  const duplicateDetail = `${str(sameAs)} || first_line`;
  const stored = key.fields.map((f) => `t.${id(f)} IS NOT DISTINCT FROM r.${id(f)}`).join(' AND ');
  // Stored rows are compared only within the file's own time range: equal rows lie inside it, and the bound
  // lets the engine skip the row groups outside it (an API batch of a few rows then reads almost nothing).
  const time = key.fields.find((f) => fieldTypes[f] === 'timestamp');
  const storedRows = time
    ? `stored_rows AS (\n  SELECT ${keyList} FROM ${id(kind)}\n  WHERE ${id(time)} BETWEEN (SELECT min(${id(time)}) FROM typed) AND (SELECT max(${id(time)}) FROM typed)\n),\n`
    : '';
  const alreadyLoaded = key.replaces
    ? 'FALSE'
    : `occurrence <= (SELECT count(*) FROM ${time ? 'stored_rows' : id(kind)} AS t WHERE ${stored})`;
  const flagColumn = kind === 'customers' && input.testAccounts.flag_column;
  const selected = [
    `s.rowid - (SELECT min(rowid) FROM ${STAGING}) + ${input.firstLine} AS line`,
    'to_json(s) AS raw',
    ...(flagColumn ? [`s.${id(flagColumn)} AS cw_test_flag`] : []),
    ...typed,
    ...extras,
  ];
  return `CREATE OR REPLACE TEMP TABLE ${CLASSIFIED} AS
WITH typed AS (
  SELECT ${selected.join(',\n    ')}
  FROM ${STAGING} AS s
),
${key.replaces ? '' : storedRows}checked AS (
  SELECT *, ${rowReason} AS row_reason, ${rowDetail} AS row_detail FROM typed
),
ranked AS (
  SELECT *, row_number() OVER same_row AS copy_number, first_value(line) OVER same_row AS first_line
  FROM checked
  WINDOW same_row AS (PARTITION BY ${sameRow}, row_reason IS NULL ORDER BY line)
),
counted AS (
  SELECT *, row_number() OVER (
    PARTITION BY ${keyList}, row_reason IS NULL AND NOT (${duplicate}) ORDER BY line) AS occurrence
  FROM ranked
)
SELECT r.*,
  CASE WHEN row_reason IS NOT NULL THEN row_reason
       WHEN ${duplicate} THEN 'duplicate'
       WHEN ${alreadyLoaded} THEN 'already_loaded' END AS cw_reason,
  CASE WHEN row_reason IS NOT NULL THEN row_detail
       WHEN ${duplicate} THEN ${duplicateDetail}
       END AS cw_detail
FROM counted AS r`;
}

function typedValue(text: string, type: FieldType, source: SourceConfig): string {
  switch (type) {
    case 'text':
      return text;
    case 'double':
      return `try_cast(${text} AS DOUBLE)`;
    case 'boolean':
      return `try_cast(${text} AS BOOLEAN)`;
    case 'timestamp': {
      if (source.timestamp_format) {
        return inUtc(`try_strptime(${text}, ${str(source.timestamp_format)})`, source.time_zone);
      }
      // ISO 8601 with an offset (`…T10:00:00+08:00`, `…Z`) is an instant: a plain cast to TIMESTAMP would
      // drop the offset, so such text goes through TIMESTAMPTZ. Without one it is a wall time.
      return (
        `CASE WHEN regexp_matches(${text}, ${str(UTC_OFFSET)}) ` +
        `THEN timezone('UTC', try_cast(${text} AS TIMESTAMPTZ)) ` +
        `ELSE ${inUtc(`try_cast(${text} AS TIMESTAMP)`, source.time_zone)} END`
      );
    }
  }
}

/** A time of day followed by a UTC offset at the end of the text. */
const UTC_OFFSET = '\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)$';

/** A naive wall time in `zone` → the same instant as naive UTC (unchanged without a zone). */
function inUtc(parsed: string, zone: string | undefined): string {
  return zone ? `timezone('UTC', timezone(${str(zone)}, ${parsed}))` : parsed;
}

function testAccountSql(input: ClassifyInput): string | undefined {
  const rules: string[] = [];
  const { id_pattern: pattern, flag_column: flag } = input.testAccounts;
  if (pattern) rules.push(`regexp_matches("customer_id", ${str(pattern)})`);
  if (input.kind === 'customers') {
    if (flag) rules.push(`lower(trim(cw_test_flag)) IN ('true', 't', '1', 'yes', 'y')`);
  } else {
    // Rows of customers quarantined as test accounts (by the id rule or the flag) go the same way.
    rules.push(
      `"customer_id" IN (SELECT "customer_id" FROM quarantine WHERE source = 'customers' AND reason = 'test_account')`,
    );
  }
  return rules.length === 0 ? undefined : `(${rules.join(' OR ')})`;
}

/** The INSERT of the rows without a reason into the source table (after replaced keys are deleted). */
export function insertGoodRowsSql(kind: SourceKind): string[] {
  const fields = [...sourceFields[kind].required, ...sourceFields[kind].optional].map((f) => id(f));
  const statements: string[] = [];
  const key = recordKeys[kind];
  if (key.replaces) {
    const match = key.fields.map((f) => `t.${id(f)} IS NOT DISTINCT FROM c.${id(f)}`).join(' AND ');
    statements.push(
      `DELETE FROM ${id(kind)} AS t WHERE EXISTS (SELECT 1 FROM ${CLASSIFIED} AS c WHERE c.cw_reason IS NULL AND ${match})`,
    );
  }
  statements.push(
    `INSERT INTO ${id(kind)} (${fields.join(', ')}) SELECT ${fields.join(', ')} FROM ${CLASSIFIED} WHERE cw_reason IS NULL`,
  );
  return statements;
}

/** The INSERT of the rows with a reason into the quarantine. Parameters: load_id, source, file. */
export const insertQuarantineSql = `INSERT INTO quarantine (load_id, source, file, line, customer_id, reason, detail, raw)
  SELECT ?, ?, ?, line, customer_id__text, cw_reason, cw_detail, raw FROM ${CLASSIFIED} WHERE cw_reason IS NOT NULL`;
