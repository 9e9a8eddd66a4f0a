// Campaigns as users read them: the list, and one campaign with its progress from the callbacks — per status
// the treated actions that reached it and their share ("issued 95%, redeemed 30%"), coverage (any callback
// at all) and completion (redeemed or contacted: the action did what it is for) — and its split by strategy.

import { isoTime } from '../security/sql-time.js';
import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import { ACTION_STATUSES, type ActionStatus } from './record-callbacks.js';

/** A count and its share of the treated actions (0 when there are none). */
export interface Share {
  count: number;
  share: number;
}

export interface CampaignProgress {
  statuses: Record<ActionStatus, Share>;
  /** Actions with at least one callback. */
  coverage: Share;
  /** Actions redeemed or contacted. */
  completion: Share;
}

export interface CampaignSummary {
  id: string;
  name: string;
  mode: string;
  /** How members were priced: risk × save rate, or the uplift models' estimates. */
  ranking: 'risk' | 'uplift';
  budget: number | null;
  controlShare: number;
  seed: number;
  treated: number;
  control: number;
  cost: number;
  expectedNetValue: number;
  createdAt: string;
  createdBy: string | null;
  progress: CampaignProgress;
}

export interface CampaignDetail extends CampaignSummary {
  source: { strategyIds: string[] | null; target: Record<string, unknown> };
  byStrategy: {
    strategyId: string;
    name: string | null;
    treated: number;
    control: number;
    cost: number;
    progress: CampaignProgress;
  }[];
}

/** Campaigns newest first, with their progress, and how many there are. */
export async function listCampaigns(
  db: SqlRunner,
  page: { limit: number; offset: number },
): Promise<{ total: number; campaigns: CampaignSummary[] }> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT *, count(*) OVER () AS total FROM campaigns ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
    [page.limit, page.offset],
  );
  const progress = await progressBy(
    db,
    'campaign_id',
    rows.map((row) => String(row.id)),
  );
  const total =
    rows.length > 0
      ? Number(rows[0].total)
      : Number((await db.all<{ n: number }>('SELECT count(*) AS n FROM campaigns'))[0].n);
  return { total, campaigns: rows.map((row) => toSummary(row, progress.get(String(row.id)))) };
}

/** One campaign with its progress and split by strategy, or null. */
export async function getCampaign(db: SqlRunner, id: string): Promise<CampaignDetail | null> {
  const [row] = await db.all<Record<string, SqlCell>>('SELECT * FROM campaigns WHERE id = ?', [id]);
  if (!row) return null;
  const overall = await progressBy(db, 'campaign_id', [id]);
  const strategies = await db.all<Record<string, SqlCell>>(
    `SELECT m.strategy_id, any_value(s.name_en) AS name,
       count(*) FILTER (WHERE m.arm = 'treated') AS treated, count(*) FILTER (WHERE m.arm = 'control') AS control,
       coalesce(sum(m.unit_cost) FILTER (WHERE m.arm = 'treated'), 0) AS cost
     FROM campaign_members AS m LEFT JOIN strategies AS s ON s.id = m.strategy_id
     WHERE m.campaign_id = ? GROUP BY m.strategy_id ORDER BY treated DESC, m.strategy_id`,
    [id],
  );
  const perStrategy = await progressBy(
    db,
    'strategy_id',
    strategies.map((s) => String(s.strategy_id)),
    id,
  );
  return {
    ...toSummary(row, overall.get(id)),
    source: JSON.parse(String(row.source)) as CampaignDetail['source'],
    byStrategy: strategies.map((s) => ({
      strategyId: String(s.strategy_id),
      name: s.name === null ? null : String(s.name),
      treated: Number(s.treated),
      control: Number(s.control),
      cost: Number(s.cost),
      progress: perStrategy.get(String(s.strategy_id)) ?? emptyProgress(),
    })),
  };
}

/** Progress keyed by campaign or by strategy (within one campaign). */
async function progressBy(
  db: SqlRunner,
  key: 'campaign_id' | 'strategy_id',
  keys: readonly string[],
  campaignId?: string,
): Promise<Map<string, CampaignProgress>> {
  const result = new Map<string, CampaignProgress>();
  if (keys.length === 0) return result;
  const statusColumns = ACTION_STATUSES.map(
    (status) => `count(DISTINCT e.action_id) FILTER (WHERE e.status = '${status}') AS "${status}"`,
  ).join(', ');
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT m.${key} AS k, count(DISTINCT m.action_id) AS treated, count(DISTINCT e.action_id) AS covered,
       count(DISTINCT e.action_id) FILTER (WHERE e.status IN ('redeemed', 'contacted')) AS completed, ${statusColumns}
     FROM campaign_members AS m LEFT JOIN action_events AS e ON e.action_id = m.action_id
     WHERE m.arm = 'treated' AND m.${key} IN (${keys.map(() => '?').join(', ')})
       ${campaignId === undefined ? '' : 'AND m.campaign_id = ?'}
     GROUP BY m.${key}`,
    campaignId === undefined ? [...keys] : [...keys, campaignId],
  );
  for (const row of rows) {
    const treated = Number(row.treated);
    const share = (count: number): Share => ({ count, share: treated === 0 ? 0 : round(count / treated) });
    const statuses = Object.fromEntries(ACTION_STATUSES.map((s) => [s, share(Number(row[s]))])) as Record<
      ActionStatus,
      Share
    >;
    result.set(String(row.k), {
      statuses,
      coverage: share(Number(row.covered)),
      completion: share(Number(row.completed)),
    });
  }
  return result;
}

function emptyProgress(): CampaignProgress {
  const zero = { count: 0, share: 0 };
  return {
    statuses: Object.fromEntries(ACTION_STATUSES.map((s) => [s, zero])) as Record<ActionStatus, Share>,
    coverage: zero,
    completion: zero,
  };
}

function round(share: number): number {
  return Math.round(share * 10_000) / 10_000;
}

function toSummary(row: Record<string, SqlCell>, progress: CampaignProgress | undefined): CampaignSummary {
  return {
    id: String(row.id),
    name: String(row.name),
    mode: String(row.mode),
    // Campaigns from before uplift ranking existed have none recorded: they were priced by risk.
    ranking: row.ranking === 'uplift' ? 'uplift' : 'risk',
    budget: row.budget === null ? null : Number(row.budget),
    controlShare: Number(row.control_share),
    seed: Number(row.seed),
    treated: Number(row.treated),
    control: Number(row.control),
    cost: Number(row.cost),
    expectedNetValue: Number(row.expected_net_value),
    createdAt: isoTime(row.created_at) ?? '',
    createdBy: row.created_by === null ? null : String(row.created_by),
    progress: progress ?? emptyProgress(),
  };
}
