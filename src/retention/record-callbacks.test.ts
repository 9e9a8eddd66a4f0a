import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { getCampaign, listCampaigns } from './campaign-progress.js';
import { ACTION_CSV_COLUMNS, csvCell, exportActionsCsv } from './export-actions.js';
import { type CallbackEvent, recordCallbacks } from './record-callbacks.js';
import { launchTestCampaign } from './testing/retention-fixtures.js';

let w: Warehouse;
let campaignId: string;
let actions: string[];
const now = Date.UTC(2025, 0, 6, 9);

beforeEach(async () => {
  w = await openWarehouse(':memory:');
  ({ campaignId, actionIds: actions } = await launchTestCampaign(w, now));
  expect(actions).toHaveLength(18);
});
afterEach(() => w.close());

const record = (events: CallbackEvent[]) => w.transaction((tx) => recordCallbacks(tx, events, now));

describe('recordCallbacks', () => {
  it('records each (action, status) once, counts repeats as duplicates and reports unknown actions per row', async () => {
    const first = await record([
      { actionId: actions[0], status: 'issued' },
      { actionId: actions[0], status: 'delivered', occurredAt: now - 60_000, detail: 'gateway ok' },
      { actionId: 'act_nope', status: 'issued' },
      { actionId: actions[0], status: 'issued' },
    ]);
    expect(first).toMatchObject({ recorded: 2, duplicates: 1, unknown: 1 });
    expect(first.results.map((r) => r.outcome)).toEqual([
      'recorded',
      'recorded',
      'unknown_action',
      'duplicate',
    ]);
    const again = await record([{ actionId: actions[0], status: 'delivered', detail: 'changed' }]);
    expect(again).toMatchObject({ recorded: 0, duplicates: 1, unknown: 0 });
    const rows = await w.all<{ status: string; detail: string | null; occurred_at: Date }>(
      'SELECT status, detail, occurred_at FROM action_events ORDER BY status',
    );
    expect(rows.map((r) => [r.status, r.detail, r.occurred_at.getTime()])).toEqual([
      ['delivered', 'gateway ok', now - 60_000],
      ['issued', null, now],
    ]);
  });

  it('gives progress per status as counts and shares of the treated actions', async () => {
    await record(actions.slice(0, 17).map((actionId) => ({ actionId, status: 'issued' as const })));
    await record(actions.slice(0, 9).map((actionId) => ({ actionId, status: 'delivered' as const })));
    await record(actions.slice(0, 6).map((actionId) => ({ actionId, status: 'redeemed' as const })));
    await record([{ actionId: actions[17], status: 'contacted' }]);
    const detail = (await getCampaign(w, campaignId))!;
    expect(detail.progress.statuses.issued).toEqual({ count: 17, share: 0.9444 });
    expect(detail.progress.statuses.delivered).toEqual({ count: 9, share: 0.5 });
    expect(detail.progress.statuses.redeemed).toEqual({ count: 6, share: 0.3333 });
    expect(detail.progress.statuses.opened).toEqual({ count: 0, share: 0 });
    expect(detail.progress.coverage).toEqual({ count: 18, share: 1 });
    expect(detail.progress.completion).toEqual({ count: 7, share: 0.3889 });
    expect(detail.byStrategy[0].progress).toEqual(detail.progress);
    const listed = await listCampaigns(w, { limit: 10, offset: 0 });
    expect(listed.total).toBe(1);
    expect(listed.campaigns[0].progress).toEqual(detail.progress);
    expect(await listCampaigns(w, { limit: 10, offset: 5 })).toEqual({ total: 1, campaigns: [] });
    expect(await getCampaign(w, 'nope')).toBeNull();
  });
});

describe('exportActionsCsv', () => {
  it('writes one row per treated member, keyed by action id', async () => {
    const csv = (await exportActionsCsv(w, campaignId))!;
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(ACTION_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(19);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(actions);
    expect(lines[1]).toContain(',reengagement,push,"{""messages"":2}",0.5,high,0.9,');
    expect(await exportActionsCsv(w, 'nope')).toBeNull();
  });

  it('quotes cells and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-3.5)).toBe('-3.5');
    expect(csvCell(null)).toBe('');
  });
});
