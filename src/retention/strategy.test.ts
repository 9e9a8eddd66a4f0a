import { describe, expect, it } from 'vitest';
import { canChangeStatus, meetsConditions, strategyFieldsSchema } from './strategy.js';
import { findTemplate, STRATEGY_TEMPLATES } from './strategy-templates.js';

const candidate = {
  customerId: 'c',
  tier: 'high',
  segment: 'vip',
  value: 500,
  causes: ['disengaged' as const],
};

describe('meetsConditions', () => {
  it('admits everyone when there are no conditions and checks each given one', () => {
    expect(meetsConditions({}, candidate)).toBe(true);
    expect(meetsConditions({ tiers: ['medium'] }, candidate)).toBe(false);
    expect(meetsConditions({ segments: ['retail'] }, candidate)).toBe(false);
    expect(meetsConditions({ segments: ['vip'] }, { ...candidate, segment: null })).toBe(false);
    expect(meetsConditions({ causes: ['price_sensitive', 'disengaged'] }, candidate)).toBe(true);
    expect(meetsConditions({ causes: ['price_sensitive'] }, candidate)).toBe(false);
    expect(meetsConditions({ minValue: 500, maxValue: 500 }, candidate)).toBe(true);
    expect(meetsConditions({ minValue: 501 }, candidate)).toBe(false);
    expect(meetsConditions({ maxValue: 499 }, candidate)).toBe(false);
  });
});

describe('strategy status', () => {
  it('lets retired be final', () => {
    expect(canChangeStatus('active', 'paused')).toBe(true);
    expect(canChangeStatus('paused', 'retired')).toBe(true);
    expect(canChangeStatus('retired', 'active')).toBe(false);
    expect(canChangeStatus('retired', 'retired')).toBe(true);
  });
});

describe('the built-in templates', () => {
  it('are valid strategies with unique ids, named in both languages, for every industry asked for', () => {
    const ids = new Set(STRATEGY_TEMPLATES.map((t) => t.id));
    expect(ids.size).toBe(STRATEGY_TEMPLATES.length);
    for (const { id, ...fields } of STRATEGY_TEMPLATES) {
      const parsed = strategyFieldsSchema.safeParse(fields);
      expect(parsed.success, `${id}: ${parsed.error?.message}`).toBe(true);
      expect(fields.name['zh-CN']).not.toBe(fields.name.en);
    }
    const kinds = STRATEGY_TEMPLATES.map((t) => `${t.industry}:${t.actionKind}`);
    for (const kind of [
      'ecommerce:coupon',
      'ecommerce:discount',
      'finance:rate_bonus',
      'finance:personal_adviser',
      'telecom:plan_upgrade',
      'saas:trial_extension',
      'saas:onboarding_call',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(findTemplate('ecommerce-discount')?.parameters).toEqual({ discount: 0.15, validityDays: 14 });
    expect(findTemplate('nope')).toBeUndefined();
  });

  it('rejects an unknown channel or action and crossed value bounds, naming the field', () => {
    const { id: _id, ...fields } = STRATEGY_TEMPLATES[0];
    const bad = (patch: object) =>
      strategyFieldsSchema.safeParse({ ...fields, ...patch }).error?.issues[0]?.path;
    expect(bad({ channel: 'pigeon' })).toEqual(['channel']);
    expect(bad({ actionKind: 'magic' })).toEqual(['actionKind']);
    expect(bad({ conditions: { minValue: 10, maxValue: 5 } })).toEqual(['conditions', 'minValue']);
    expect(bad({ budget: 0 })).toEqual(['budget']);
  });
});
