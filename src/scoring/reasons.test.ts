import { describe, expect, it } from 'vitest';
import {
  daysSinceLast,
  type Feature,
  type FeatureNode,
  feature,
  lifecycleStage,
  openTickets,
  profile,
  ratio,
  rfmScore,
  tenure,
  trend,
  windowCount,
  windowMean,
  windowSum,
} from '../features/feature-nodes.js';
import { standardFeatures } from '../features/standard-features.js';
import type { Locale } from './drivers.js';
import { cjkJoin } from './reason-words.js';
import { type ReasonDriver, reasonPhrase, reasonSentence } from './reasons.js';

/** The phrase of `node` for `value` in both locales: [en, zh-CN]. */
function say(node: FeatureNode, value: number | string | null, name = 'f'): [string, string] {
  const driver = { feature: feature(name, node), value, contribution: 0.5 };
  return [reasonPhrase(driver, 'en'), reasonPhrase(driver, 'zh-CN')];
}

const byName = (name: string): Feature => {
  const found = standardFeatures.find((f) => f.name === name);
  if (!found) throw new Error(`no standard feature ${name}`);
  return found;
};

describe('reasonPhrase: daysSinceLast', () => {
  it('says how long since the last purchase or event, in whole days rounded down', () => {
    expect(say(daysSinceLast('transactions'), 34)).toEqual([
      '34 days since last purchase',
      '距上次购买已 34 天',
    ]);
    expect(say(daysSinceLast('transactions'), 33.7)).toEqual([
      '33 days since last purchase',
      '距上次购买已 33 天',
    ]);
    expect(say(daysSinceLast('events', { eventType: 'login' }), 12)).toEqual([
      '12 days since last login',
      '距上次登录已 12 天',
    ]);
    expect(say(daysSinceLast('tickets'), 5)).toEqual(['5 days since last ticket', '距上次提交工单已 5 天']);
  });

  it('uses the singular for one day and its own words under a day', () => {
    expect(say(daysSinceLast('transactions'), 1.9)).toEqual([
      '1 day since last purchase',
      '距上次购买已 1 天',
    ]);
    expect(say(daysSinceLast('transactions'), 0.4)).toEqual([
      'last purchase less than a day ago',
      '距上次购买不到 1 天',
    ]);
  });

  it('says "none yet" when the value is missing, whatever form missing takes', () => {
    for (const missing of [null, Number.NaN, '', Number.POSITIVE_INFINITY]) {
      expect(say(daysSinceLast('transactions'), missing)).toEqual(['no purchase yet', '尚无购买记录']);
    }
    expect(say(daysSinceLast('events', { eventType: 'visit' }), null)).toEqual([
      'no visit yet',
      '尚无访问记录',
    ]);
  });
});

describe('reasonPhrase: trend', () => {
  const visits = trend(windowCount('events', 30, { eventType: 'visit' }));
  const spend = trend(windowSum('transactions', 'amount', 90));

  it('reads the smoothed ratio as a change against the previous window', () => {
    expect(say(visits, 0.38)).toEqual(['visits down 62% vs the previous 30 days', '访问较前 30 天下降 62%']);
    expect(say(visits, 1.5)).toEqual(['visits up 50% vs the previous 30 days', '访问较前 30 天上升 50%']);
    expect(say(spend, 0.2)).toEqual(['spend down 80% vs the previous 90 days', '消费较前 90 天下降 80%']);
    expect(say(trend(windowCount('transactions', 30)), 2)).toEqual([
      'purchases up 100% vs the previous 30 days',
      '购买较前 30 天上升 100%',
    ]);
  });

  it('calls changes within ±5% steady, and rounds percentages to whole numbers', () => {
    for (const r of [1, 0.95, 1.05, 1.03]) {
      expect(say(visits, r)).toEqual(['visits steady vs the previous 30 days', '访问与前 30 天持平']);
    }
    expect(say(visits, 0.944)).toEqual(['visits down 6% vs the previous 30 days', '访问较前 30 天下降 6%']);
    expect(say(visits, 1.1234)[0]).toBe('visits up 12% vs the previous 30 days');
  });

  it('names other event types and summed columns by their own names', () => {
    expect(say(trend(windowCount('events', 7, { eventType: 'share' })), 0.5)).toEqual([
      '"share" events down 50% vs the previous 7 days',
      '"share" 事件较前 7 天下降 50%',
    ]);
    expect(say(trend(windowSum('events', 'duration', 30)), 1.2)).toEqual([
      'duration up 20% vs the previous 30 days',
      'duration 较前 30 天上升 20%',
    ]);
  });

  it('falls back to name = value when there is nothing to compare', () => {
    expect(say(visits, null, 'visit_trend_30d')).toEqual([
      'visit_trend_30d = missing',
      'visit_trend_30d = 缺失',
    ]);
  });
});

describe('reasonPhrase: windowCount', () => {
  it('counts per event type and source, with plurals and zero', () => {
    const visits = windowCount('events', 30, { eventType: 'visit' });
    expect(say(visits, 3)).toEqual(['3 visits in the last 30 days', '近 30 天访问 3 次']);
    expect(say(visits, 1)).toEqual(['1 visit in the last 30 days', '近 30 天访问 1 次']);
    expect(say(visits, 0)).toEqual(['no visits in the last 30 days', '近 30 天无访问']);
    expect(say(windowCount('events', 7, { eventType: 'page_view' }), 2)).toEqual([
      '2 page views in the last 7 days',
      '近 7 天页面浏览 2 次',
    ]);
    expect(say(windowCount('transactions', 90), 4)).toEqual([
      '4 purchases in the last 90 days',
      '近 90 天购买 4 次',
    ]);
    expect(say(windowCount('tickets', 90), 2)).toEqual([
      '2 tickets in the last 90 days',
      '近 90 天工单 2 个',
    ]);
    expect(say(windowCount('tickets', 90), 0)).toEqual(['no tickets in the last 90 days', '近 90 天无工单']);
    expect(say(windowCount('events', 1), 1)).toEqual(['1 event in the last day', '近 1 天活动 1 次']);
  });

  it('says "in total" / "累计" over all history, and "so far" when there was none', () => {
    expect(say(windowCount('transactions', 'all'), 12)).toEqual(['12 purchases in total', '累计购买 12 次']);
    expect(say(windowCount('transactions', 'all'), 0)).toEqual(['no purchases so far', '至今无购买']);
  });

  it('places windows that end before the cutoff', () => {
    expect(say(windowCount('transactions', 30, { offsetDays: 30 }), 2)).toEqual([
      '2 purchases in the 30 days before the last 30 days',
      '30 天前的 30 天内购买 2 次',
    ]);
  });

  it('quotes event types it has no words for', () => {
    expect(say(windowCount('events', 30, { eventType: 'share' }), 5)).toEqual([
      '5 "share" events in the last 30 days',
      '近 30 天 "share" 事件 5 次',
    ]);
    expect(say(windowCount('events', 30, { eventType: 'share' }), 1)[0]).toBe(
      '1 "share" event in the last 30 days',
    );
    // Names that exist on Object.prototype are event types like any other, not table entries.
    expect(say(windowCount('events', 30, { eventType: 'constructor' }), 2)[0]).toBe(
      '2 "constructor" events in the last 30 days',
    );
  });

  it('reads a count that comes as numeric text', () => {
    expect(say(windowCount('transactions', 30), '3')[0]).toBe('3 purchases in the last 30 days');
  });
});

describe('reasonPhrase: windowSum and windowMean', () => {
  it('writes spend with 2 decimals', () => {
    expect(say(windowSum('transactions', 'amount', 90), 120.5)).toEqual([
      'spent 120.50 in the last 90 days',
      '近 90 天消费 120.50',
    ]);
    expect(say(windowSum('transactions', 'amount', 90), 0)).toEqual([
      'nothing spent in the last 90 days',
      '近 90 天无消费',
    ]);
    expect(say(windowSum('transactions', 'amount', 'all'), 1234.567)).toEqual([
      'spent 1234.57 in total',
      '累计消费 1234.57',
    ]);
  });

  it('sums other columns by name', () => {
    expect(say(windowSum('events', 'duration', 30), 1200)).toEqual([
      'total duration 1200 in the last 30 days',
      '近 30 天 duration 合计 1200',
    ]);
  });

  it('averages satisfaction, and says when there was none to average', () => {
    const satisfaction = windowMean('tickets', 'satisfaction', 90);
    expect(say(satisfaction, 2.1)).toEqual([
      'average satisfaction 2.1 in the last 90 days',
      '近 90 天平均满意度 2.1',
    ]);
    expect(say(satisfaction, 2.3333)[0]).toBe('average satisfaction 2.33 in the last 90 days');
    expect(say(satisfaction, Number.NaN)).toEqual([
      'no satisfaction recorded in the last 90 days',
      '近 90 天无满意度记录',
    ]);
    expect(say(windowMean('events', 'duration', 7), 3)).toEqual([
      'average duration 3 in the last 7 days',
      '近 7 天平均 duration 3',
    ]);
  });

  it('averages amounts as order value with 2 decimals', () => {
    const orderValue = windowMean('transactions', 'amount', 90);
    expect(say(orderValue, 45.2)).toEqual([
      'average order value 45.20 in the last 90 days',
      '近 90 天平均客单价 45.20',
    ]);
    expect(say(orderValue, null)).toEqual(['no purchases in the last 90 days', '近 90 天无购买']);
  });
});

describe('reasonPhrase: openTickets, tenure, ratio, profile', () => {
  it('counts unresolved complaints with plurals', () => {
    expect(say(openTickets(), 1)).toEqual(['1 unresolved complaint', '1 个未解决的投诉']);
    expect(say(openTickets(), 3)).toEqual(['3 unresolved complaints', '3 个未解决的投诉']);
    expect(say(openTickets(), 0)).toEqual(['no unresolved complaints', '无未解决的投诉']);
  });

  it('says tenure in days, then months, then years', () => {
    expect(say(tenure(), 45.9)).toEqual(['customer for 45 days', '成为客户 45 天']);
    expect(say(tenure(), 1)).toEqual(['customer for 1 day', '成为客户 1 天']);
    expect(say(tenure(), 0.2)).toEqual(['customer for less than a day', '成为客户不到 1 天']);
    expect(say(tenure(), 200)).toEqual(['customer for 7 months', '成为客户 7 个月']);
    expect(say(tenure(), 767)).toEqual(['customer for 2.1 years', '成为客户 2.1 年']);
    expect(say(tenure(), 1461)).toEqual(['customer for 4 years', '成为客户 4 年']);
    expect(say(tenure(), null)).toEqual(['signup date unknown', '注册日期未知']);
  });

  it('reads spend per purchase as average order value, other ratios by feature name', () => {
    expect(say(byName('avg_order_value_90d').node, 45.678)).toEqual([
      'average order value 45.68 in the last 90 days',
      '近 90 天平均客单价 45.68',
    ]);
    expect(say(byName('avg_order_value_90d').node, null)).toEqual([
      'no purchases in the last 90 days',
      '近 90 天无购买',
    ]);
    const perVisit = ratio(
      windowCount('events', 30, { eventType: 'page_view' }),
      windowCount('events', 30, { eventType: 'visit' }),
    );
    expect(say(perVisit, 3.456, 'page_views_per_visit')).toEqual([
      'page views per visit: 3.46',
      'page views per visit：3.46',
    ]);
    expect(say(perVisit, 0.0123, 'page_views_per_visit')[0]).toBe('page views per visit: 0.012');
    expect(say(perVisit, null, 'page_views_per_visit')).toEqual([
      'page views per visit: not available',
      'page views per visit：无数据',
    ]);
  });

  it('translates known profile columns and keeps the value as it is', () => {
    expect(say(profile('segment'), 'vip')).toEqual(['segment: vip', '客户分群：vip']);
    expect(say(profile('region'), '华东')).toEqual(['region: 华东', '地区：华东']);
    expect(say(profile('plan'), 'basic')).toEqual(['plan: basic', '套餐：basic']);
    expect(say(profile('industry'), 'retail')).toEqual(['industry: retail', 'industry：retail']);
    expect(say(profile('segment'), null)).toEqual(['segment unknown', '客户分群未知']);
  });
});

describe('reasonPhrase: rfmScore and lifecycleStage', () => {
  it('gives RFM scores out of their best value', () => {
    expect(say(rfmScore('recency'), 1)).toEqual([
      'purchase recency score 1 of 5',
      '最近购买评分 1（满分 5）',
    ]);
    expect(say(rfmScore('monetary', 4), 3)).toEqual(['spend score 3 of 4', '消费金额评分 3（满分 4）']);
    expect(say(rfmScore('total'), 6)).toEqual(['RFM score 6 of 15', 'RFM 总评分 6（满分 15）']);
    expect(say(rfmScore('frequency'), null)).toEqual([
      'purchase frequency score unknown',
      '购买频次评分未知',
    ]);
  });

  it('names lifecycle stages, and keeps stages it does not know as they are', () => {
    const stage = lifecycleStage([{ source: 'transactions' }]);
    expect(say(stage, 'declining')).toEqual(['lifecycle stage: declining', '生命周期阶段：衰退期']);
    expect(say(stage, 'dormant')).toEqual(['lifecycle stage: dormant', '生命周期阶段：沉睡期']);
    expect(say(stage, 'churned')).toEqual(['lifecycle stage: churned', '生命周期阶段：churned']);
    expect(say(stage, null)).toEqual(['lifecycle stage unknown', '生命周期阶段未知']);
  });
});

describe('reasonPhrase: quick path and fallbacks', () => {
  it('writes plain file columns as column = value', () => {
    const driver = (value: number | string | null): ReasonDriver => ({
      feature: 'contract',
      value,
      contribution: 1,
    });
    expect(reasonPhrase(driver('Month-to-month'), 'en')).toBe('contract = Month-to-month');
    expect(reasonPhrase(driver('Month-to-month'), 'zh-CN')).toBe('contract = Month-to-month');
    expect(reasonPhrase(driver(29.851), 'en')).toBe('contract = 29.85');
    expect(reasonPhrase(driver(Number.NaN), 'en')).toBe('contract = missing');
    expect(reasonPhrase(driver(null), 'zh-CN')).toBe('contract = 缺失');
  });

  it('never crashes on node kinds it has no words for', () => {
    const churnStage = { name: 'churn_stage', node: { kind: 'churnStage' } as unknown as FeatureNode };
    const nps = { name: 'nps_score', node: { kind: 'npsScore', of: 'survey' } as unknown as FeatureNode };
    expect(reasonPhrase({ feature: churnStage, value: 'late', contribution: 1 })).toBe('churn_stage = late');
    expect(reasonPhrase({ feature: nps, value: 2.5, contribution: 1 }, 'zh-CN')).toBe('nps_score = 2.5');
    expect(reasonPhrase({ feature: nps, value: Number.NaN, contribution: 1 })).toBe('nps_score = missing');
    // An RFM part these words do not know yet falls back too.
    const part = {
      name: 'rfm_tenure',
      node: { kind: 'rfmScore', part: 'tenure', bins: 5 } as unknown as FeatureNode,
    };
    expect(reasonPhrase({ feature: part, value: 3, contribution: 1 })).toBe('rfm_tenure = 3');
  });

  it('shows text where a number belongs as it came', () => {
    expect(say(daysSinceLast('transactions'), 'unknown', 'days_since_last_tx')[0]).toBe(
      'days_since_last_tx = unknown',
    );
  });

  it('rejects a locale it has no words for', () => {
    const driver = { feature: 'x', value: 1, contribution: 1 };
    expect(() => reasonPhrase(driver, 'fr' as Locale)).toThrow('locale=fr must be one of en, zh-CN');
  });
});

describe('reasonSentence', () => {
  const drivers: ReasonDriver[] = [
    { feature: byName('open_tickets'), value: 1, contribution: 0.3 },
    { feature: byName('tenure_days'), value: 900, contribution: -0.8 },
    { feature: byName('days_since_last_tx'), value: 34.2, contribution: 0.9 },
    { feature: byName('visit_trend_30d'), value: 0.38, contribution: 0.6 },
    { feature: byName('segment'), value: 'vip', contribution: 0.1 },
  ];

  it('keeps only drivers that raise the risk, strongest first', () => {
    expect(reasonSentence('high', drivers, 'en')).toBe(
      'high risk: 34 days since last purchase, visits down 62% vs the previous 30 days, 1 unresolved complaint',
    );
    expect(reasonSentence('high', drivers, 'zh-CN')).toBe(
      '高风险：距上次购买已 34 天，访问较前 30 天下降 62%，1 个未解决的投诉',
    );
    expect(reasonSentence('medium', drivers, 'en', 1)).toBe('medium risk: 34 days since last purchase');
    expect(reasonSentence('medium', drivers, 'zh-CN', 5)).toBe(
      '中风险：距上次购买已 34 天，访问较前 30 天下降 62%，1 个未解决的投诉，客户分群：vip',
    );
  });

  it('says so when nothing raises the risk', () => {
    const lowering = drivers.map((d) => ({ ...d, contribution: -Math.abs(d.contribution) }));
    expect(reasonSentence('low', lowering, 'en')).toBe('low risk: no strong warning signs');
    expect(reasonSentence('low', [], 'zh-CN')).toBe('低风险：无明显预警信号');
    expect(reasonSentence('low', [{ feature: 'x', value: 1, contribution: 0 }])).toBe(
      'low risk: no strong warning signs',
    );
  });

  it('says the same thing once and fills up with the next driver', () => {
    const overlapping: ReasonDriver[] = [
      { feature: byName('tx_count_90d'), value: 0, contribution: 0.9 },
      { feature: byName('avg_order_value_90d'), value: null, contribution: 0.8 },
      { feature: byName('open_tickets'), value: 2, contribution: 0.1 },
    ];
    expect(reasonSentence('high', overlapping, 'en', 2)).toBe(
      'high risk: no purchases in the last 90 days, 2 unresolved complaints',
    );
  });

  it('takes the quick path drivers of drivers.ts as they are', () => {
    const quick = [
      { feature: 'Contract', value: 'Month-to-month', contribution: 0.21 },
      { feature: 'tenure', value: '2', contribution: 0.4 },
    ];
    expect(reasonSentence('medium', quick, 'zh-CN')).toBe('中风险：tenure = 2，Contract = Month-to-month');
  });

  it('validates its parameters', () => {
    expect(() => reasonSentence('high', drivers, 'en', 0)).toThrow('maxReasons=0 must be an integer >= 1');
    expect(() => reasonSentence('extreme' as 'high', drivers)).toThrow('tier=extreme must be one of');
  });
});

describe('every standard feature', () => {
  const values = [0, 1, 2, 0.38, 33.7, 1.5, 120.456, 800, Number.NaN, null, 'vip'];
  for (const locale of ['en', 'zh-CN'] as const) {
    it(`has a phrase without NaN or undefined in ${locale}`, () => {
      for (const f of standardFeatures) {
        for (const value of values) {
          const phrase = reasonPhrase({ feature: f, value, contribution: 1 }, locale);
          expect(phrase, `${f.name}=${value}`).not.toMatch(/NaN|undefined|null|Infinity|\[object/);
          expect(phrase.length, `${f.name}=${value}`).toBeGreaterThan(0);
        }
      }
    });
  }

  it('has words of its own, not the name = value fallback, for a typical value', () => {
    for (const f of standardFeatures) {
      const value = f.node.kind === 'profile' || f.node.kind === 'lifecycleStage' ? 'mature' : 3;
      expect(reasonPhrase({ feature: f, value, contribution: 1 }), f.name).not.toContain(' = ');
    }
  });
});

describe('cjkJoin', () => {
  it('spaces Han characters from Latin text and digits only at the seams', () => {
    expect(cjkJoin('近', 30, '天', '访问', 3, '次')).toBe('近 30 天访问 3 次');
    expect(cjkJoin('客户分群', '：', 'vip')).toBe('客户分群：vip');
    expect(cjkJoin('地区：', 'VIP会员')).toBe('地区：VIP会员');
    expect(cjkJoin('近 7 天平均', 'duration', 3)).toBe('近 7 天平均 duration 3');
  });
});
