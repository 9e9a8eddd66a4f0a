// The feature compiler: a feature set and a cutoff T become ONE query that returns the feature table
// (customer_id, then one column per feature) for every customer with signup_at < T, ordered by customer_id.
//
// Shape of the query: one CTE per source table scans its rows with time < T once and computes every
// aggregate the features need ("measures", deduplicated, named m1, m2 …) as filtered aggregates grouped by
// customer; the final SELECT left-joins them onto the customers and combines measures into features. Ranks
// across customers (RFM scores) are window functions in that SELECT: they rank the customers of the cutoff.

import { InputError } from '../errors.js';
import { type DefaultSqlCompiler, type Dialect, duckdbDialect } from '../warehouse/sql-dialect.js';
import { normalizeCutoff } from './cutoff.js';
import {
  type ActivityScope,
  type FeatureNode,
  type FeatureSet,
  featureType,
  type LifecycleStage,
  type Predicate,
  type RfmPart,
  type RfmScore,
  type SourceName,
  sourceTables,
  type WindowCount,
  type WindowSum,
  windowCount,
} from './feature-nodes.js';

export interface CompileOptions {
  /** Default DuckDB. */
  dialect?: Dialect;
  /**
   * Only these customers (at least one): the filter is pushed into the customers scan and every source scan,
   * so re-scoring a few customers reads only their rows. Ranks across customers (RFM scores) still rank the
   * whole population: with them, the customers and transactions scans stay whole and the filter applies last.
   */
  customerIds?: readonly string[];
}

const CUSTOMER_BASE = 'customer_base';
const RFM_PARTS = ['recency', 'frequency', 'monetary'] as const;
const BASE_ALIAS = 'c';

/** The SQL of the feature table at `cutoff`. Validates the set; throws InputError naming the feature. */
export function compileFeatureQuery(
  features: FeatureSet,
  cutoff: string,
  options: CompileOptions = {},
): string {
  validateFeatureSet(features);
  const dialect = options.dialect ?? duckdbDialect;
  if (options.customerIds !== undefined && options.customerIds.length === 0) {
    throw new InputError('customerIds: at least one customer is needed', { key: 'customerIds' });
  }
  return new FeatureQueryBuilder(
    dialect.createCompiler(),
    normalizeCutoff(cutoff),
    options.customerIds,
  ).build(features);
}

/** `"customer_id" IN ('a', 'b')` (qualified by `alias` when given), for a customer filter. */
export function customerIdFilter(
  sql: DefaultSqlCompiler,
  customerIds: readonly string[],
  alias?: string,
): string {
  const column = alias === undefined ? sql.identifier('customer_id') : sql.column(alias, 'customer_id');
  return `${column} IN (${[...new Set(customerIds)].map((value) => sql.string(value)).join(', ')})`;
}

/** Output columns of the feature table, customer_id first. */
export function featureColumns(features: FeatureSet): { name: string; type: 'integer' | 'float' | 'text' }[] {
  return [
    { name: 'customer_id', type: 'text' },
    ...features.map((f) => ({ name: f.name, type: featureType(f.node) })),
  ];
}

type AggregateNode = Extract<FeatureNode, { source: SourceName }>;

interface Measure {
  name: string;
  sql: string;
}

class FeatureQueryBuilder {
  private readonly cutoff: string;
  private readonly measures = new Map<SourceName, Map<string, Measure>>();

  constructor(
    private readonly sql: DefaultSqlCompiler,
    cutoffIso: string,
    private readonly customerIds?: readonly string[],
  ) {
    this.cutoff = sql.timestamp(cutoffIso);
  }

  build(features: FeatureSet): string {
    const selected = features.map((f) => `${this.expression(f.node)} AS ${this.sql.identifier(f.name)}`);
    const s = this.sql;
    const id = s.identifier('customer_id');
    const only = this.customerIds === undefined ? undefined : customerIdFilter(s, this.customerIds);
    // Ranks need every customer of the cutoff and their transactions; the filter then comes last.
    const ranked = only !== undefined && features.some((f) => usesRanks(f.node));
    const scanFilter = (source: SourceName | 'customers') =>
      only === undefined || (ranked && (source === 'customers' || source === 'transactions'))
        ? ''
        : ` AND ${only}`;
    const ctes = [
      `${CUSTOMER_BASE} AS (\n  SELECT * FROM ${s.identifier('customers')} WHERE ${s.identifier('signup_at')} < ${this.cutoff}${scanFilter('customers')}\n)`,
    ];
    const joins: string[] = [];
    for (const [source, measures] of this.measures) {
      const { table, time, alias } = sourceTables[source];
      const cte = `${source}_measures`;
      const columns = [...measures.values()].map((m) => `    ${m.sql} AS ${m.name}`);
      ctes.push(
        `${cte} AS (\n  SELECT ${id},\n${columns.join(',\n')}\n  FROM ${s.identifier(table)}\n` +
          `  WHERE ${s.identifier(time)} < ${this.cutoff}${scanFilter(source)}\n  GROUP BY ${id}\n)`,
      );
      joins.push(
        `LEFT JOIN ${cte} AS ${alias} ON ${s.column(alias, 'customer_id')} = ${s.column(BASE_ALIAS, 'customer_id')}`,
      );
    }
    const select = [
      `SELECT ${s.column(BASE_ALIAS, 'customer_id')},\n${selected.map((line) => `  ${line}`).join(',\n')}`,
      `FROM ${CUSTOMER_BASE} AS ${BASE_ALIAS}`,
      ...joins,
    ];
    if (ranked && only !== undefined) {
      return [
        `WITH ${ctes.join(',\n')}`,
        `SELECT * FROM (\n${select.join('\n')}\n) AS ${s.identifier('population')}`,
        `WHERE ${only}`,
        `ORDER BY ${id}`,
      ].join('\n');
    }
    return [`WITH ${ctes.join(',\n')}`, ...select, `ORDER BY ${s.column(BASE_ALIAS, 'customer_id')}`].join(
      '\n',
    );
  }

  private expression(node: FeatureNode): string {
    const s = this.sql;
    switch (node.kind) {
      case 'profile':
        return s.column(BASE_ALIAS, node.column);
      case 'tenure':
        return s.daysBetween(s.column(BASE_ALIAS, 'signup_at'), this.cutoff);
      case 'windowCount':
        return s.coalesce(this.measure(node, s.aggregate('count', '*', this.filter(node))), '0');
      case 'windowSum':
        return s.coalesce(this.measure(node, s.exactSum(s.identifier(node.column), this.filter(node))), '0');
      case 'windowMean':
        return this.measure(node, s.aggregate('avg', s.identifier(node.column), this.filter(node)));
      case 'daysSinceLast': {
        const time = s.identifier(sourceTables[node.source].time);
        return s.daysBetween(this.measure(node, s.aggregate('max', time, this.filter(node))), this.cutoff);
      }
      case 'openTickets':
        return this.expression({
          kind: 'windowCount',
          source: 'tickets',
          days: 'all',
          where: {
            op: 'or',
            args: [
              { op: 'isNull', column: 'resolved_at' },
              { op: 'atOrAfterCutoff', column: 'resolved_at' },
            ],
          },
        });
      case 'trend': {
        const days = node.of.days as number;
        const previous: WindowCount | WindowSum = {
          ...node.of,
          offsetDays: (node.of.offsetDays ?? 0) + days,
        };
        const smoothing = s.number(node.smoothing);
        return s.divide(
          `${this.expression(node.of)} + ${smoothing}`,
          `${this.expression(previous)} + ${smoothing}`,
          false,
        );
      }
      case 'ratio':
        return s.divide(this.expression(node.numerator), this.expression(node.denominator), true);
      case 'rfmScore':
        if (node.part !== 'total') return this.rfmPart(node.part, node);
        return `(${RFM_PARTS.map((part) => this.rfmPart(part, node)).join(' + ')})`;
      case 'lifecycleStage':
        return this.lifecycleStage(node);
    }
  }

  /**
   * One RFM part, ranked within the customers with a transaction before T (the partition where the count is
   * > 0); 1 for the customers without one:
   *   CASE WHEN coalesce(t.n, 0) = 0 THEN 1 ELSE <group of value in PARTITION BY (coalesce(t.n, 0) = 0)> END
   */
  private rfmPart(part: Exclude<RfmPart, 'total'>, node: RfmScore): string {
    const s = this.sql;
    const all = windowCount('transactions', 'all');
    const count = this.expression(all);
    const value = {
      recency: () => this.measure(all, s.aggregate('max', s.identifier(sourceTables.transactions.time))),
      frequency: () => count,
      monetary: () =>
        this.expression({ kind: 'windowSum', source: 'transactions', column: 'amount', days: 'all' }),
    }[part]();
    const none = `${count} = 0`;
    const group =
      node.ties === 'shared'
        ? s.rankGroup(node.bins, [value], [`(${none})`])
        : s.ntile(node.bins, [value, s.codePointOrder(s.column(BASE_ALIAS, 'customer_id'))], [`(${none})`]);
    return s.caseWhen([[none, '1']], group);
  }

  /** The rule of LifecycleStage (feature-nodes.ts), with rates compared as recent·(D − R) against baseline·R. */
  private lifecycleStage(node: LifecycleStage): string {
    const s = this.sql;
    const { recentDays, dormantDays } = node;
    const activity = (days: number, offsetDays: number) =>
      `(${node.activity.map((scope) => this.expression(activityCount(scope, days, offsetDays))).join(' + ')})`;
    const recent = activity(recentDays, 0);
    const baseline = activity(dormantDays - recentDays, recentDays);
    const recentRate = `${recent} * ${s.number(dormantDays - recentDays)}`;
    const baselineRate = (factor: number) => `${s.number(factor)} * ${baseline} * ${s.number(recentDays)}`;
    return s.caseWhen(
      [
        [`${s.column(BASE_ALIAS, 'signup_at')} > ${s.minusDays(this.cutoff, node.newDays)}`, s.string('new')],
        [`${recent} + ${baseline} = 0`, s.string('dormant')],
        [`${recentRate} <= ${baselineRate(1 - node.change)}`, s.string('declining')],
        [`${recentRate} >= ${baselineRate(1 + node.change)}`, s.string('growing')],
      ],
      s.string('mature'),
    );
  }

  /** A reference to the measure `aggregateSql` of the node's source, added once however often it is used. */
  private measure(node: AggregateNode, aggregateSql: string): string {
    let measures = this.measures.get(node.source);
    if (!measures) {
      measures = new Map();
      this.measures.set(node.source, measures);
    }
    let measure = measures.get(aggregateSql);
    if (!measure) {
      let count = 0;
      for (const m of this.measures.values()) count += m.size;
      measure = { name: `m${count + 1}`, sql: aggregateSql };
      measures.set(aggregateSql, measure);
    }
    return this.sql.column(sourceTables[node.source].alias, measure.name);
  }

  /** The row condition of an aggregate node inside its source's CTE (which already has time < T). */
  private filter(node: AggregateNode): string | undefined {
    const s = this.sql;
    const conditions: string[] = [];
    if (node.eventType !== undefined)
      conditions.push(`${s.identifier('event_type')} = ${s.string(node.eventType)}`);
    if (node.kind !== 'daysSinceLast') {
      const time = s.identifier(sourceTables[node.source].time);
      const offset = node.offsetDays ?? 0;
      if (node.days !== 'all') conditions.push(`${time} >= ${s.minusDays(this.cutoff, offset + node.days)}`);
      if (offset > 0) conditions.push(`${time} < ${s.minusDays(this.cutoff, offset)}`);
    }
    if (node.where) conditions.push(this.predicate(node.where));
    return conditions.length === 0 ? undefined : s.and(conditions);
  }

  private predicate(p: Predicate): string {
    const s = this.sql;
    switch (p.op) {
      case 'eq':
        return `${s.identifier(p.column)} = ${typeof p.value === 'number' ? s.number(p.value) : s.string(p.value)}`;
      case 'isNull':
        return `${s.identifier(p.column)} IS NULL`;
      case 'notNull':
        return `${s.identifier(p.column)} IS NOT NULL`;
      case 'beforeCutoff':
        return `${s.identifier(p.column)} < ${this.cutoff}`;
      case 'atOrAfterCutoff':
        return `${s.identifier(p.column)} >= ${this.cutoff}`;
      case 'and':
        return `(${s.and(p.args.map((arg) => this.predicate(arg)))})`;
      case 'or':
        return s.or(p.args.map((arg) => this.predicate(arg)));
    }
  }
}

/** Whether a node ranks customers against one another (its value depends on the whole population). */
function usesRanks(node: FeatureNode): boolean {
  switch (node.kind) {
    case 'rfmScore':
      return true;
    case 'ratio':
      return usesRanks(node.numerator) || usesRanks(node.denominator);
    default:
      return false;
  }
}

/** The rows of an activity scope in a window ending `offsetDays` before T. */
function activityCount(scope: ActivityScope, days: number, offsetDays: number): WindowCount {
  const types = scope.eventTypes ?? [];
  const where: Predicate | undefined =
    types.length === 0
      ? undefined
      : { op: 'or', args: types.map((value) => ({ op: 'eq', column: 'event_type', value })) };
  return windowCount(scope.source, days, { offsetDays, where });
}

/** Checks names (unique, not customer_id) and node parameters; the error names the feature. */
export function validateFeatureSet(features: FeatureSet): void {
  const names = new Set<string>(['customer_id']);
  for (const f of features) {
    const fail = (message: string) => {
      throw new InputError(`feature "${f.name}": ${message}`, { key: `features.${f.name}` });
    };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) fail('a name is letters, digits and _');
    if (names.has(f.name)) fail('the name is used twice (or is customer_id)');
    names.add(f.name);
    const problem = nodeProblem(f.node);
    if (problem) fail(problem);
  }
}

function nodeProblem(node: FeatureNode): string | undefined {
  switch (node.kind) {
    case 'windowCount':
    case 'windowSum':
    case 'windowMean':
    case 'daysSinceLast': {
      if (!(node.source in sourceTables)) return `unknown source "${node.source}"`;
      if (node.eventType !== undefined && node.source !== 'events') return 'eventType is for source "events"';
      if (node.kind === 'daysSinceLast') return undefined;
      if (node.days !== 'all' && !(Number.isInteger(node.days) && node.days > 0)) {
        return `days=${node.days} must be a positive whole number or 'all'`;
      }
      const offset = node.offsetDays ?? 0;
      if (!(Number.isInteger(offset) && offset >= 0))
        return `offsetDays=${offset} must be a whole number >= 0`;
      return undefined;
    }
    case 'trend':
      if (node.of.days === 'all') return "a trend needs a window of days, not 'all'";
      if (!Number.isFinite(node.smoothing) || node.smoothing < 0)
        return `smoothing=${node.smoothing} must be >= 0`;
      return nodeProblem(node.of);
    case 'ratio':
      return nodeProblem(node.numerator) ?? nodeProblem(node.denominator);
    case 'rfmScore':
      if (!['recency', 'frequency', 'monetary', 'total'].includes(node.part))
        return `unknown part "${node.part}"`;
      if (!(Number.isInteger(node.bins) && node.bins >= 2 && node.bins <= 100))
        return `bins=${node.bins} must be a whole number from 2 to 100`;
      if (node.ties !== 'shared' && node.ties !== 'split')
        return `ties="${node.ties}" must be shared or split`;
      return undefined;
    case 'lifecycleStage':
      return lifecycleProblem(node);
    default:
      return undefined;
  }
}

function lifecycleProblem(node: LifecycleStage): string | undefined {
  for (const key of ['newDays', 'recentDays', 'dormantDays'] as const) {
    if (!(Number.isInteger(node[key]) && node[key] > 0))
      return `${key}=${node[key]} must be a whole number > 0`;
  }
  if (node.dormantDays <= node.recentDays)
    return `dormantDays=${node.dormantDays} must be greater than recentDays=${node.recentDays}`;
  if (!(node.change > 0 && node.change < 1)) return `change=${node.change} must be between 0 and 1`;
  if (node.activity.length === 0) return 'activity needs at least one source';
  for (const scope of node.activity) {
    if (scope.source !== 'events' && scope.source !== 'transactions')
      return `activity source "${scope.source}" must be events or transactions`;
    if (scope.eventTypes !== undefined && (scope.source !== 'events' || scope.eventTypes.length === 0))
      return 'activity eventTypes must be a non-empty list, for source "events"';
  }
  return undefined;
}
