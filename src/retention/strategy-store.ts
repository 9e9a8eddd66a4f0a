// The strategy library in the warehouse: list, read, create (from a template or from scratch), edit, pause
// and retire. Every change is audited in the same transaction, with the fields it changed.

import { randomUUID } from 'node:crypto';
import type { Actor } from '../security/audit-log.js';
import { recordAudit } from '../security/audit-log.js';
import { isoTime, TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlCell, SqlParam, SqlRunner } from '../warehouse/warehouse.js';
import { RetentionError } from './retention-error.js';
import {
  type Conditions,
  canChangeStatus,
  type Parameters,
  type Strategy,
  type StrategyFields,
  type StrategyStatus,
  strategyFieldsSchema,
} from './strategy.js';
import { findTemplate } from './strategy-templates.js';

const COLUMNS = `id, template_id, name_en, name_zh, description_en, description_zh, industry, action_kind, channel,
  conditions, unit_cost, save_prior, parameters, budget, priority, status, version, created_at, created_by, updated_at`;

/** Every strategy, optionally of some statuses, by priority then name. */
export async function listStrategies(
  db: SqlRunner,
  statuses?: readonly StrategyStatus[],
): Promise<Strategy[]> {
  const where =
    statuses && statuses.length > 0 ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT ${COLUMNS} FROM strategies ${where} ORDER BY priority DESC, name_en, id`,
    statuses ? [...statuses] : [],
  );
  return rows.map(toStrategy);
}

/** The strategy with `id`, or null. */
export async function getStrategy(db: SqlRunner, id: string): Promise<Strategy | null> {
  const [row] = await db.all<Record<string, SqlCell>>(`SELECT ${COLUMNS} FROM strategies WHERE id = ?`, [id]);
  return row ? toStrategy(row) : null;
}

/** What create takes: a template to start from and/or fields (which override the template's). */
export interface NewStrategy {
  templateId?: string;
  fields: Partial<StrategyFields>;
  status?: 'active' | 'paused';
}

/** Creates a strategy (audited); throws RetentionError for an unknown template or incomplete fields. */
export async function createStrategy(
  db: SqlRunner,
  input: NewStrategy,
  actor: Actor,
  now: number,
): Promise<Strategy> {
  let base: Partial<StrategyFields> = {};
  if (input.templateId !== undefined) {
    const template = findTemplate(input.templateId);
    if (!template) {
      throw new RetentionError('template_not_found', `no template "${input.templateId}"`, 'body.templateId');
    }
    const { id: _id, ...fields } = template;
    base = fields;
  }
  const fields = validFields({ ...base, ...input.fields }, 'body');
  const id = randomUUID();
  await db.run(
    `INSERT INTO strategies (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1,
      ${TIMESTAMP_PARAM}, ?, ${TIMESTAMP_PARAM})`,
    [id, input.templateId ?? null, ...fieldParams(fields), input.status ?? 'active', now, actor.name, now],
  );
  await recordAudit(db, now, actor, 'strategy.create', id, {
    templateId: input.templateId ?? null,
    name: fields.name.en,
  });
  return (await getStrategy(db, id))!;
}

/** An edit: any fields, and/or a new status. */
export interface StrategyEdit {
  fields: Partial<StrategyFields>;
  status?: StrategyStatus;
}

/**
 * Applies an edit (audited with each changed field's old and new value); a change bumps the version, an edit
 * that changes nothing writes nothing. Throws RetentionError when the strategy is unknown or retired.
 */
export async function updateStrategy(
  db: SqlRunner,
  id: string,
  edit: StrategyEdit,
  actor: Actor,
  now: number,
): Promise<Strategy> {
  const current = await getStrategy(db, id);
  if (!current) throw new RetentionError('strategy_not_found', `no strategy "${id}"`, 'path strategyId');
  const status = edit.status ?? current.status;
  if (
    !canChangeStatus(current.status, status) ||
    (current.status === 'retired' && Object.keys(edit.fields).length > 0)
  ) {
    throw new RetentionError(
      'strategy_retired',
      `strategy "${id}" is retired and cannot change`,
      'path strategyId',
    );
  }
  const {
    id: _id,
    templateId: _t,
    status: _s,
    version: _v,
    createdAt: _c,
    createdBy: _b,
    updatedAt: _u,
    ...was
  } = current;
  const fields = validFields({ ...was, ...edit.fields }, 'body');
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(fields) as (keyof StrategyFields)[]) {
    if (JSON.stringify(was[key]) !== JSON.stringify(fields[key]))
      changes[key] = { from: was[key], to: fields[key] };
  }
  if (status !== current.status) changes.status = { from: current.status, to: status };
  if (Object.keys(changes).length === 0) return current;
  await db.run(
    `UPDATE strategies SET name_en = ?, name_zh = ?, description_en = ?, description_zh = ?, industry = ?,
      action_kind = ?, channel = ?, conditions = ?, unit_cost = ?, save_prior = ?, parameters = ?, budget = ?,
      priority = ?, status = ?, version = version + 1, updated_at = ${TIMESTAMP_PARAM} WHERE id = ?`,
    [...fieldParams(fields), status, now, id],
  );
  await recordAudit(db, now, actor, 'strategy.update', id, { changes });
  return (await getStrategy(db, id))!;
}

/** What the strategies' campaigns have spent so far (treated members' unit costs), by strategy id. */
export async function spentByStrategy(db: SqlRunner): Promise<Map<string, number>> {
  const rows = await db.all<{ strategy_id: string; spent: number }>(
    `SELECT strategy_id, sum(unit_cost) AS spent FROM campaign_members WHERE arm = 'treated' GROUP BY strategy_id`,
  );
  return new Map(rows.map((row) => [row.strategy_id, Number(row.spent)]));
}

function validFields(fields: Partial<StrategyFields>, root: string): StrategyFields {
  const parsed = strategyFieldsSchema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = [root, ...issue.path.map(String)].join('.');
  throw new RetentionError('invalid_strategy', `${where}: ${issue.message}`, where);
}

function fieldParams(fields: StrategyFields): SqlParam[] {
  return [
    fields.name.en,
    fields.name['zh-CN'],
    fields.description.en,
    fields.description['zh-CN'],
    fields.industry,
    fields.actionKind,
    fields.channel,
    JSON.stringify(fields.conditions),
    fields.unitCost,
    fields.savePrior,
    JSON.stringify(fields.parameters),
    fields.budget,
    fields.priority,
  ];
}

function toStrategy(row: Record<string, SqlCell>): Strategy {
  return {
    id: String(row.id),
    templateId: row.template_id === null ? null : String(row.template_id),
    name: { en: String(row.name_en), 'zh-CN': String(row.name_zh) },
    description: { en: String(row.description_en), 'zh-CN': String(row.description_zh) },
    industry: String(row.industry) as Strategy['industry'],
    actionKind: String(row.action_kind) as Strategy['actionKind'],
    channel: String(row.channel) as Strategy['channel'],
    conditions: JSON.parse(String(row.conditions)) as Conditions,
    unitCost: Number(row.unit_cost),
    savePrior: Number(row.save_prior),
    parameters: JSON.parse(String(row.parameters)) as Parameters,
    budget: row.budget === null ? null : Number(row.budget),
    priority: Number(row.priority),
    status: String(row.status) as StrategyStatus,
    version: Number(row.version),
    createdAt: isoTime(row.created_at) ?? '',
    createdBy: row.created_by === null ? null : String(row.created_by),
    updatedAt: isoTime(row.updated_at) ?? '',
  };
}
