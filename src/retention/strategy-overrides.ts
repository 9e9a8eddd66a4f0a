// Operators' parameter overrides (R17): per strategy, or per strategy and customer ("give this customer 20%
// instead of 15%"). Stored one row per scope, replaced by the newest; each change is audited with the old
// and new parameters. The matcher merges template ← strategy override ← customer override.

import type { Actor } from '../security/audit-log.js';
import { recordAudit } from '../security/audit-log.js';
import { isoTime, TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { overrideKey, type ParameterOverrides } from './match-strategies.js';
import { RetentionError } from './retention-error.js';
import type { Parameters } from './strategy.js';
import { getStrategy } from './strategy-store.js';

/** One stored override; `customerId` null for the whole strategy. */
export interface ParameterOverride {
  strategyId: string;
  customerId: string | null;
  parameters: Parameters;
  updatedAt: string;
  updatedBy: string | null;
}

/** The overrides of one strategy, strategy-wide first, then by customer. */
export async function listParameterOverrides(
  db: SqlRunner,
  strategyId: string,
): Promise<ParameterOverride[]> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT strategy_id, customer_id, parameters, updated_at, updated_by FROM strategy_overrides
     WHERE strategy_id = ? ORDER BY customer_id`,
    [strategyId],
  );
  return rows.map((row) => ({
    strategyId: String(row.strategy_id),
    customerId: row.customer_id === '' ? null : String(row.customer_id),
    parameters: JSON.parse(String(row.parameters)) as Parameters,
    updatedAt: isoTime(row.updated_at) ?? '',
    updatedBy: row.updated_by === null ? null : String(row.updated_by),
  }));
}

/**
 * Sets the override of one scope (an empty `parameters` removes it), audited. Only parameters the strategy
 * has may be overridden: a misspelt name would otherwise be stored and silently ignored.
 */
export async function setParameterOverride(
  db: SqlRunner,
  scope: { strategyId: string; customerId: string | null },
  parameters: Parameters,
  actor: Actor,
  now: number,
): Promise<ParameterOverride[]> {
  const strategy = await getStrategy(db, scope.strategyId);
  if (!strategy) {
    throw new RetentionError('strategy_not_found', `no strategy "${scope.strategyId}"`, 'path strategyId');
  }
  if (strategy.status === 'retired') {
    throw new RetentionError('strategy_retired', `strategy "${strategy.id}" is retired`, 'path strategyId');
  }
  for (const name of Object.keys(parameters)) {
    if (!Object.hasOwn(strategy.parameters, name)) {
      const known = Object.keys(strategy.parameters).join(', ') || 'none';
      throw new RetentionError(
        'unknown_parameter',
        `strategy "${strategy.id}" has no parameter "${name}" (it has: ${known})`,
        `body.parameters.${name}`,
      );
    }
  }
  const customer = scope.customerId ?? '';
  const [old] = await db.all<{ parameters: string }>(
    'SELECT parameters FROM strategy_overrides WHERE strategy_id = ? AND customer_id = ?',
    [strategy.id, customer],
  );
  await db.run('DELETE FROM strategy_overrides WHERE strategy_id = ? AND customer_id = ?', [
    strategy.id,
    customer,
  ]);
  if (Object.keys(parameters).length > 0) {
    await db.run(
      `INSERT INTO strategy_overrides (strategy_id, customer_id, parameters, updated_at, updated_by)
       VALUES (?, ?, ?, ${TIMESTAMP_PARAM}, ?)`,
      [strategy.id, customer, JSON.stringify(parameters), now, actor.name],
    );
  }
  await recordAudit(db, now, actor, 'strategy.override', strategy.id, {
    customerId: scope.customerId,
    from: old ? (JSON.parse(old.parameters) as Parameters) : null,
    to: Object.keys(parameters).length > 0 ? parameters : null,
  });
  return listParameterOverrides(db, strategy.id);
}

/** Every override of the given strategies, as the matcher takes them. */
export async function loadParameterOverrides(
  db: SqlRunner,
  strategyIds: readonly string[],
): Promise<ParameterOverrides> {
  const byStrategy = new Map<string, Parameters>();
  const byCustomer = new Map<string, Parameters>();
  if (strategyIds.length === 0) return { byStrategy, byCustomer };
  const rows = await db.all<{ strategy_id: string; customer_id: string; parameters: string }>(
    `SELECT strategy_id, customer_id, parameters FROM strategy_overrides
     WHERE strategy_id IN (${strategyIds.map(() => '?').join(', ')})`,
    [...strategyIds],
  );
  for (const row of rows) {
    const parameters = JSON.parse(row.parameters) as Parameters;
    if (row.customer_id === '') byStrategy.set(row.strategy_id, parameters);
    else byCustomer.set(overrideKey(row.strategy_id, row.customer_id), parameters);
  }
  return { byStrategy, byCustomer };
}
