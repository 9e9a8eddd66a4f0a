// The campaign history an uplift model learns from: every member of a campaign whose churn horizon has passed
// in the data, with the champion's features computed point-in-time at the campaign's start (the member's
// scored_at), the arm, the action kind of their strategy and whether they churned by the workspace's definition.

import { type CellColumn, tableFromColumns } from '../data/columns-table.js';
import { applySchema } from '../data/schema.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import type { FeatureMatrix } from '../ml/matrix.js';
import { populationSelectSql } from '../snapshots/build-snapshots.js';
import { dataRange } from '../snapshots/data-range.js';
import type { SavedModel } from '../tabular/saved-model.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';

/** Members with a known outcome, one row each, in (start date, customer id) order. */
export interface UpliftHistory {
  /** The champion's features at each member's campaign start, encoded by the champion's schema. */
  X: FeatureMatrix;
  customerIds: string[];
  campaignIds: string[];
  /** The strategy's action kind (coupon, service_call …). */
  actionKinds: string[];
  /** Campaign start, `YYYY-MM-DD`. */
  startsOn: string[];
  /** 1 treated, 0 control. */
  treated: Uint8Array;
  /** 1 when the member churned within the horizon after the start. */
  churned: Uint8Array;
  /** The churn probability the member was targeted on (campaign_members.probability). */
  probability: Float64Array;
}

const MS_PER_DAY = 86_400_000;

/** A campaign member whose horizon has passed. */
export interface MeasurableMember {
  campaignId: string;
  customerId: string;
  treated: number;
  actionKind: string;
  startsOn: string;
  probability: number;
}

/**
 * Reads the members of the campaigns whose horizon has passed (start + H days ≤ the day after the data ends)
 * with their features and outcomes. A customer in two campaigns starting the same day counts once, for the
 * campaign with the smaller id; members the definition cannot label at the start are left out.
 */
export async function readUpliftHistory(
  warehouse: Warehouse,
  model: SavedModel,
  definition: ChurnDefinition,
  members?: readonly MeasurableMember[],
): Promise<UpliftHistory> {
  members ??= await readMeasurableMembers(warehouse, definition.horizonDays);
  const features = model.file.workspace!.features;
  const byDate = new Map<string, Map<string, MeasurableMember>>();
  for (const m of members) {
    const day = byDate.get(m.startsOn) ?? new Map<string, MeasurableMember>();
    if (!day.has(m.customerId)) day.set(m.customerId, m);
    byDate.set(m.startsOn, day);
  }
  const rows: MeasurableMember[] = [];
  const churned: number[] = [];
  let names: string[] = [];
  const columns: (string | number | boolean | bigint | Date | null)[][] = [];
  for (const [date, day] of [...byDate].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sql = populationSelectSql(features, date, { definition, customerIds: [...day.keys()] });
    const result = await warehouse.columns(`SELECT * FROM (\n${sql}\n) AS p ORDER BY customer_id`);
    if (names.length === 0) {
      names = result.names;
      for (let j = 0; j < names.length; j++) columns.push([]);
    }
    const ids = result.columns[result.names.indexOf('customer_id')]!;
    const labels = result.columns[result.names.indexOf('churned')]!;
    for (let r = 0; r < ids.length; r++) {
      // No label: the definition leaves the member out of its population at the start (e.g. already gone).
      if (labels[r] === null) continue;
      rows.push(day.get(String(ids[r]))!);
      churned.push(Number(labels[r]) === 1 ? 1 : 0);
      for (let j = 0; j < names.length; j++) columns[j]!.push(result.columns[j]![r] ?? null);
    }
  }
  const table = tableFromColumns('campaign members at their start', names, columns as CellColumn[]);
  const { matrix } = applySchema(model.file.schema, table);
  return {
    X: matrix,
    customerIds: rows.map((m) => m.customerId),
    campaignIds: rows.map((m) => m.campaignId),
    actionKinds: rows.map((m) => m.actionKind),
    startsOn: rows.map((m) => m.startsOn),
    treated: Uint8Array.from(rows, (m) => m.treated),
    churned: Uint8Array.from(churned),
    probability: Float64Array.from(rows, (m) => m.probability),
  };
}

/** Members of campaigns that started at least H days before the day after the data's last activity. */
export async function readMeasurableMembers(
  warehouse: Warehouse,
  horizonDays: number,
): Promise<MeasurableMember[]> {
  const range = await dataRange(warehouse);
  if (range === null) return [];
  const dayAfter = Date.parse(`${range.end.slice(0, 10)}T00:00:00Z`) + MS_PER_DAY;
  const latestStart = new Date(dayAfter - horizonDays * MS_PER_DAY).toISOString().slice(0, 10);
  const rows = await warehouse.all<Record<string, SqlCell>>(
    `SELECT m.campaign_id, m.customer_id, m.arm, s.action_kind, strftime(m.scored_at, '%Y-%m-%d') AS starts_on,
       m.probability
     FROM campaign_members AS m JOIN strategies AS s ON s.id = m.strategy_id
     WHERE m.scored_at <= CAST(? AS DATE)
     ORDER BY m.scored_at, m.customer_id, m.campaign_id`,
    [latestStart],
  );
  return rows.map((row) => ({
    campaignId: String(row.campaign_id),
    customerId: String(row.customer_id),
    treated: row.arm === 'treated' ? 1 : 0,
    actionKind: String(row.action_kind),
    startsOn: String(row.starts_on),
    probability: Number(row.probability),
  }));
}
