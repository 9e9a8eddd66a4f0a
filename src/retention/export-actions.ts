// A campaign's actions as CSV for the company's marketing, SMS and service systems: one row per treated
// member, keyed by action id (the idempotency key those systems echo in their callbacks). No personal
// fields: the receiving systems already know their customers by id, and the file may travel.

import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';

export const ACTION_CSV_COLUMNS = [
  'action_id',
  'campaign_id',
  'customer_id',
  'strategy_id',
  'action_kind',
  'channel',
  'parameters',
  'unit_cost',
  'tier',
  'probability',
  'expected_net_value',
] as const;

/** The CSV text (RFC 4180, CRLF line ends), or null when the campaign does not exist. */
export async function exportActionsCsv(db: SqlRunner, campaignId: string): Promise<string | null> {
  const [campaign] = await db.all<{ id: string }>('SELECT id FROM campaigns WHERE id = ?', [campaignId]);
  if (!campaign) return null;
  const rows = await treatedActions(db, campaignId);
  const lines = [ACTION_CSV_COLUMNS.join(',')];
  for (const row of rows) lines.push(ACTION_CSV_COLUMNS.map((column) => csvCell(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The treated members' actions of `campaignId` (ACTION_CSV_COLUMNS), by customer id. */
export async function treatedActions(db: SqlRunner, campaignId: string): Promise<Record<string, SqlCell>[]> {
  return db.all<Record<string, SqlCell>>(
    `SELECT m.action_id, m.campaign_id, m.customer_id, m.strategy_id, s.action_kind, s.channel, m.parameters,
       m.unit_cost, m.tier, m.probability, m.expected_net_value
     FROM campaign_members AS m LEFT JOIN strategies AS s ON s.id = m.strategy_id
     WHERE m.campaign_id = ? AND m.arm = 'treated' ORDER BY m.customer_id`,
    [campaignId],
  );
}

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (starting with = + - @ or a tab/CR) gets a
 * leading apostrophe, as OWASP advises for CSV injection; numbers are written as numbers.
 */
export function csvCell(value: SqlCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
