// Cause-tag overrides in the warehouse: a feature's tag when the default rule (cause-tags.ts) is wrong for
// this company's data. Changes are audited.

import type { Actor } from '../security/audit-log.js';
import { recordAudit } from '../security/audit-log.js';
import { TIMESTAMP_PARAM } from '../security/sql-time.js';
import type { SqlRunner } from '../warehouse/warehouse.js';
import { type CauseTag, type CauseTagOverrides, defaultCauseTag } from './cause-tags.js';

/** The stored overrides, feature → tag (null: the feature names no cause). */
export async function loadCauseTagOverrides(db: SqlRunner): Promise<CauseTagOverrides> {
  const rows = await db.all<{ feature: string; tag: string | null }>(
    'SELECT feature, tag FROM cause_tag_overrides',
  );
  return new Map(rows.map((row) => [row.feature, row.tag as CauseTag | null]));
}

/** One feature's mapping as shown to users. */
export interface CauseTagMapping {
  feature: string;
  defaultTag: CauseTag | null;
  tag: CauseTag | null;
  overridden: boolean;
}

/**
 * The mapping of every feature that appears in a score's drivers or has an override, by feature name.
 */
export async function listCauseTagMappings(db: SqlRunner): Promise<CauseTagMapping[]> {
  const overrides = await loadCauseTagOverrides(db);
  const rows = await db.all<{ feature: string }>(
    `SELECT DISTINCT unnest(json_extract_string(drivers, '$[*].feature')) AS feature FROM scores`,
  );
  const features = new Set([...rows.map((row) => row.feature), ...overrides.keys()]);
  return [...features].sort().map((feature) => {
    const defaultTag = defaultCauseTag(feature);
    const overridden = overrides.has(feature);
    return {
      feature,
      defaultTag,
      tag: overridden ? (overrides.get(feature) ?? null) : defaultTag,
      overridden,
    };
  });
}

/** Sets a feature's tag (`null`: no cause), or with `reset` goes back to the default rule; audited. */
export async function setCauseTagOverride(
  db: SqlRunner,
  feature: string,
  change: { tag: CauseTag | null } | { reset: true },
  actor: Actor,
  now: number,
): Promise<CauseTagMapping> {
  const before = (await loadCauseTagOverrides(db)).get(feature);
  await db.run('DELETE FROM cause_tag_overrides WHERE feature = ?', [feature]);
  if ('tag' in change) {
    await db.run(
      `INSERT INTO cause_tag_overrides (feature, tag, updated_at, updated_by) VALUES (?, ?, ${TIMESTAMP_PARAM}, ?)`,
      [feature, change.tag, now, actor.name],
    );
  }
  await recordAudit(db, now, actor, 'cause-tag.update', feature, {
    from: before === undefined ? 'default' : before,
    to: 'tag' in change ? change.tag : 'default',
  });
  const defaultTag = defaultCauseTag(feature);
  return 'tag' in change
    ? { feature, defaultTag, tag: change.tag, overridden: true }
    : { feature, defaultTag, tag: defaultTag, overridden: false };
}
