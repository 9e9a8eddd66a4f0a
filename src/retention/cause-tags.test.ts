import { describe, expect, it } from 'vitest';
import { causeTagOf, causeTags, defaultCauseTag, parseDrivers } from './cause-tags.js';

describe('defaultCauseTag', () => {
  it('maps the standard feature names to the cause they point at', () => {
    expect(defaultCauseTag('open_tickets')).toBe('service_dissatisfied');
    expect(defaultCauseTag('avg_satisfaction_90d')).toBe('service_dissatisfied');
    expect(defaultCauseTag('days_since_last_ticket')).toBe('service_dissatisfied');
    expect(defaultCauseTag('spend_trend_90d')).toBe('price_sensitive');
    expect(defaultCauseTag('amount_90d')).toBe('price_sensitive');
    expect(defaultCauseTag('monetary_score')).toBe('price_sensitive');
    expect(defaultCauseTag('days_since_last_page_view')).toBe('disengaged');
    expect(defaultCauseTag('events_30d')).toBe('disengaged');
    expect(defaultCauseTag('visit_30d')).toBe('disengaged');
    expect(defaultCauseTag('recency_score')).toBe('disengaged');
    expect(defaultCauseTag('payment_failures_90d')).toBe('payment_risk');
    expect(defaultCauseTag('competitor_offer_seen')).toBe('competitor_attracted');
    expect(defaultCauseTag('Region')).toBeNull();
  });
});

describe('causeTags', () => {
  const drivers = [
    { feature: 'open_tickets', contribution: 0.4 },
    { feature: 'days_since_last_tx', contribution: 0.3 },
    { feature: 'visit_30d', contribution: 0.3 },
    { feature: 'spend_90d', contribution: -0.9 },
    { feature: 'region', contribution: 2 },
  ];

  it('keeps drivers that raise the risk, strongest summed cause first', () => {
    // disengaged sums 0.6 > service 0.4; spend lowers the risk so it names no cause; region is unknown.
    expect(causeTags(drivers)).toEqual(['disengaged', 'service_dissatisfied']);
  });

  it('applies per-feature overrides, including "no cause"', () => {
    const overrides = new Map([
      ['region', 'competitor_attracted' as const],
      ['visit_30d', null],
    ]);
    expect(causeTagOf('visit_30d', overrides)).toBeNull();
    expect(causeTags(drivers, overrides)).toEqual([
      'competitor_attracted',
      'service_dissatisfied',
      'disengaged',
    ]);
  });

  it('parses stored drivers, skipping malformed entries', () => {
    expect(
      parseDrivers('[{"feature":"open_tickets","value":"3","contribution":0.5},{"feature":1},"x",null]'),
    ).toEqual([{ feature: 'open_tickets', contribution: 0.5 }]);
    expect(parseDrivers('{}')).toEqual([]);
  });
});
