import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../security/audit-log.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { listCauseTagMappings, loadCauseTagOverrides, setCauseTagOverride } from './cause-tag-store.js';
import {
  listParameterOverrides,
  loadParameterOverrides,
  setParameterOverride,
} from './strategy-overrides.js';
import { createStrategy, getStrategy, listStrategies, updateStrategy } from './strategy-store.js';
import { addScoredCustomers, retentionFailure, TEST_ACTOR } from './testing/retention-fixtures.js';

let w: Warehouse;
const now = Date.UTC(2025, 0, 6, 9);

beforeEach(async () => {
  w = await openWarehouse(':memory:');
});
afterEach(() => w.close());

describe('the strategy store', () => {
  it('creates from a template, with fields overriding it, and reads it back', async () => {
    const created = await createStrategy(
      w,
      {
        templateId: 'ecommerce-discount',
        fields: { unitCost: 25, parameters: { discount: 0.2, validityDays: 7 } },
      },
      TEST_ACTOR,
      now,
    );
    expect(created).toMatchObject({
      templateId: 'ecommerce-discount',
      actionKind: 'discount',
      channel: 'email',
      unitCost: 25,
      savePrior: 0.2,
      parameters: { discount: 0.2, validityDays: 7 },
      status: 'active',
      version: 1,
      createdBy: 'ops1',
      createdAt: '2025-01-06T09:00:00.000Z',
    });
    expect(await getStrategy(w, created.id)).toEqual(created);
    const [entry] = await listAudit(w, { limit: 1 });
    expect(entry).toMatchObject({ action: 'strategy.create', target: created.id, actor: 'ops1' });
  });

  it('refuses an unknown template and incomplete or invalid fields, naming the field', async () => {
    const unknown = await retentionFailure(
      createStrategy(w, { templateId: 'nope', fields: {} }, TEST_ACTOR, now),
    );
    expect(unknown.code).toBe('template_not_found');
    const partial = await retentionFailure(createStrategy(w, { fields: { unitCost: 1 } }, TEST_ACTOR, now));
    expect(partial.code).toBe('invalid_strategy');
    expect(partial.where).toBe('body.name');
    const badChannel = await retentionFailure(
      createStrategy(
        w,
        { templateId: 'ecommerce-coupon', fields: { channel: 'fax' as 'sms' } },
        TEST_ACTOR,
        now,
      ),
    );
    expect(badChannel.where).toBe('body.channel');
    expect(await listStrategies(w)).toEqual([]);
  });

  it('edits, pauses and retires with an audited list of changes; retired is final', async () => {
    const s = await createStrategy(w, { templateId: 'ecommerce-coupon', fields: {} }, TEST_ACTOR, now);
    const edited = await updateStrategy(
      w,
      s.id,
      { fields: { unitCost: 12 }, status: 'paused' },
      TEST_ACTOR,
      now + 1000,
    );
    expect(edited).toMatchObject({
      unitCost: 12,
      status: 'paused',
      version: 2,
      updatedAt: '2025-01-06T09:00:01.000Z',
    });
    const same = await updateStrategy(w, s.id, { fields: { unitCost: 12 } }, TEST_ACTOR, now + 2000);
    expect(same.version).toBe(2);
    const [entry] = await listAudit(w, { limit: 1, action: 'strategy.update' });
    expect(entry.detail).toEqual({
      changes: { unitCost: { from: 10, to: 12 }, status: { from: 'active', to: 'paused' } },
    });
    expect((await listStrategies(w, ['active'])).length).toBe(0);
    await updateStrategy(w, s.id, { fields: {}, status: 'retired' }, TEST_ACTOR, now);
    const again = await retentionFailure(
      updateStrategy(w, s.id, { fields: {}, status: 'active' }, TEST_ACTOR, now),
    );
    expect(again.code).toBe('strategy_retired');
    const missing = await retentionFailure(updateStrategy(w, 'nope', { fields: {} }, TEST_ACTOR, now));
    expect(missing.code).toBe('strategy_not_found');
  });
});

describe('parameter overrides', () => {
  it('stores per-strategy and per-customer overrides, replaces and removes them, audited', async () => {
    const s = await createStrategy(w, { templateId: 'ecommerce-discount', fields: {} }, TEST_ACTOR, now);
    await setParameterOverride(w, { strategyId: s.id, customerId: null }, { discount: 0.1 }, TEST_ACTOR, now);
    await setParameterOverride(w, { strategyId: s.id, customerId: 'C1' }, { discount: 0.3 }, TEST_ACTOR, now);
    const listed = await setParameterOverride(
      w,
      { strategyId: s.id, customerId: 'C1' },
      { discount: 0.25, validityDays: 30 },
      TEST_ACTOR,
      now,
    );
    expect(listed.map((o) => [o.customerId, o.parameters])).toEqual([
      [null, { discount: 0.1 }],
      ['C1', { discount: 0.25, validityDays: 30 }],
    ]);
    const loaded = await loadParameterOverrides(w, [s.id]);
    expect(loaded.byStrategy.get(s.id)).toEqual({ discount: 0.1 });
    expect(loaded.byCustomer.size).toBe(1);
    const audit = await listAudit(w, { limit: 5, action: 'strategy.override' });
    expect(audit[0].detail).toEqual({
      customerId: 'C1',
      from: { discount: 0.3 },
      to: { discount: 0.25, validityDays: 30 },
    });
    await setParameterOverride(w, { strategyId: s.id, customerId: null }, {}, TEST_ACTOR, now);
    expect((await listParameterOverrides(w, s.id)).map((o) => o.customerId)).toEqual(['C1']);
  });

  it('refuses a parameter the strategy does not have', async () => {
    const s = await createStrategy(w, { templateId: 'ecommerce-discount', fields: {} }, TEST_ACTOR, now);
    const error = await retentionFailure(
      setParameterOverride(w, { strategyId: s.id, customerId: null }, { discont: 0.1 }, TEST_ACTOR, now),
    );
    expect(error.code).toBe('unknown_parameter');
    expect(error.where).toBe('body.parameters.discont');
  });
});

describe('cause-tag overrides', () => {
  it('lists the drivers’ features with their tags and applies and resets overrides', async () => {
    await addScoredCustomers(w, [{ id: 'A', probability: 0.9, drivers: ['open_tickets', 'region_code'] }]);
    const before = await listCauseTagMappings(w);
    expect(before).toEqual([
      {
        feature: 'open_tickets',
        defaultTag: 'service_dissatisfied',
        tag: 'service_dissatisfied',
        overridden: false,
      },
      { feature: 'region_code', defaultTag: null, tag: null, overridden: false },
    ]);
    await setCauseTagOverride(w, 'region_code', { tag: 'competitor_attracted' }, TEST_ACTOR, now);
    await setCauseTagOverride(w, 'open_tickets', { tag: null }, TEST_ACTOR, now);
    await setCauseTagOverride(w, 'open_tickets', { tag: 'price_sensitive' }, TEST_ACTOR, now);
    expect(await loadCauseTagOverrides(w)).toEqual(
      new Map<string, string | null>([
        ['region_code', 'competitor_attracted'],
        ['open_tickets', 'price_sensitive'],
      ]),
    );
    await setCauseTagOverride(w, 'open_tickets', { reset: true }, TEST_ACTOR, now);
    expect((await listCauseTagMappings(w)).find((m) => m.feature === 'open_tickets')?.overridden).toBe(false);
    expect((await listAudit(w, { limit: 10, action: 'cause-tag.update' })).length).toBe(4);
  });
});
