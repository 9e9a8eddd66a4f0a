// The words of reasons, one table per locale: nouns per source and event type, and one template per phrase.
// A new locale is one more table here; `reasonWords` does not compile until every `Locale` has one.

import type { LifecycleStageName, RfmPart, SourceName } from '../features/feature-nodes.js';
import type { Locale } from './drivers.js';
import type { Tier } from './tiers.js';

/** What a source or an event type is called: one, many, and the measure word for languages that need one. */
export interface Noun {
  readonly one: string;
  readonly many: string;
  readonly counter: string;
}

/** A window as templates see it: the last `days` days (or all history) ending `offsetDays` before the cutoff. */
export interface Period {
  readonly days: number | 'all';
  readonly offsetDays: number;
}

/** A number already formatted for reading, with its value for the grammar (zero, singular, plural). */
export interface Amount {
  readonly value: number;
  readonly text: string;
}

export type TenureUnit = 'day' | 'month' | 'year';

/** Everything a locale says in reasons. Templates get formatted numbers; `null` means the value is missing. */
export interface ReasonWords {
  readonly tiers: Readonly<Record<Tier, string>>;
  /** The whole reason: tier and phrases; no phrases means no driver raises the risk. */
  sentence(tier: string, phrases: readonly string[]): string;
  readonly sources: Readonly<Record<SourceName, Noun>>;
  readonly eventTypes: Readonly<Record<string, Noun>>;
  otherEventType(eventType: string): Noun;
  /** A summed column's name in trends ("spend down 80%"), by column; other columns go by their own name. */
  readonly totals: Readonly<Record<string, string>>;
  /** An averaged column's name ("average satisfaction"), by column. */
  readonly averages: Readonly<Record<string, string>>;
  readonly profileColumns: Readonly<Record<string, string>>;
  daysSince(days: Amount | null, noun: Noun): string;
  count(count: Amount, noun: Noun, period: Period): string;
  spent(amount: Amount, period: Period): string;
  total(label: string, total: Amount, period: Period): string;
  average(label: string, average: Amount | null, period: Period): string;
  /** `percent` is the rounded change, 0 when flat. */
  trend(metric: string, percent: number, days: number): string;
  openComplaints(count: Amount): string;
  tenure(length: Amount | null, unit: TenureUnit): string;
  profile(label: string, value: string | null): string;
  readonly rfmParts: Readonly<Record<RfmPart, string>>;
  /** "purchase recency score 1 of 5": `max` is the best score. */
  rfmScore(label: string, score: Amount | null, max: number): string;
  readonly lifecycleStages: Readonly<Record<LifecycleStageName, string>>;
  lifecycle(stage: string | null): string;
  /** A value known only by its feature name (ratios the templates have no words for). */
  measure(label: string, value: Amount | null): string;
  /** `contract = Month-to-month`: quick-path columns and node kinds without words yet. */
  named(name: string, value: string | null): string;
}

/** The entry of `table` for `key`, never one inherited from Object.prototype (`constructor`, `toString`). */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

const enDays = (days: number) => (days === 1 ? 'day' : `${days} days`);

/** "so far" is more natural than "in total" for things that never happened. */
const isAllHistory = (period: Period) => period.days === 'all' && period.offsetDays === 0;

function enPeriod(period: Period): string {
  if (period.days === 'all')
    return period.offsetDays ? `before the last ${enDays(period.offsetDays)}` : 'in total';
  if (period.offsetDays) return `in the ${enDays(period.days)} before the last ${enDays(period.offsetDays)}`;
  return `in the last ${enDays(period.days)}`;
}

const en: ReasonWords = {
  tiers: { high: 'high risk', medium: 'medium risk', low: 'low risk' },
  sentence: (tier, phrases) => `${tier}: ${phrases.length ? phrases.join(', ') : 'no strong warning signs'}`,
  sources: {
    events: { one: 'event', many: 'events', counter: '' },
    transactions: { one: 'purchase', many: 'purchases', counter: '' },
    tickets: { one: 'ticket', many: 'tickets', counter: '' },
    cancellations: { one: 'cancellation', many: 'cancellations', counter: '' },
  },
  eventTypes: {
    visit: { one: 'visit', many: 'visits', counter: '' },
    page_view: { one: 'page view', many: 'page views', counter: '' },
    login: { one: 'login', many: 'logins', counter: '' },
  },
  otherEventType: (type) => ({ one: `"${type}" event`, many: `"${type}" events`, counter: '' }),
  totals: { amount: 'spend' },
  averages: { amount: 'order value', satisfaction: 'satisfaction' },
  profileColumns: { segment: 'segment', region: 'region', plan: 'plan' },
  daysSince: (days, noun) => {
    if (days === null) return `no ${noun.one} yet`;
    if (days.value < 1) return `last ${noun.one} less than a day ago`;
    return `${days.text} ${days.value === 1 ? 'day' : 'days'} since last ${noun.one}`;
  },
  count: (count, noun, period) => {
    if (count.value === 0) return `no ${noun.many} ${isAllHistory(period) ? 'so far' : enPeriod(period)}`;
    return `${count.text} ${count.value === 1 ? noun.one : noun.many} ${enPeriod(period)}`;
  },
  spent: (amount, period) =>
    amount.value === 0
      ? `nothing spent ${isAllHistory(period) ? 'so far' : enPeriod(period)}`
      : `spent ${amount.text} ${enPeriod(period)}`,
  total: (label, total, period) => `total ${label} ${total.text} ${enPeriod(period)}`,
  average: (label, average, period) =>
    average === null
      ? `no ${label} recorded ${enPeriod(period)}`
      : `average ${label} ${average.text} ${enPeriod(period)}`,
  trend: (metric, percent, days) => {
    const previous = `vs the previous ${enDays(days)}`;
    if (percent === 0) return `${metric} steady ${previous}`;
    return `${metric} ${percent < 0 ? 'down' : 'up'} ${Math.abs(percent)}% ${previous}`;
  },
  openComplaints: (count) => {
    if (count.value === 0) return 'no unresolved complaints';
    return `${count.text} unresolved ${count.value === 1 ? 'complaint' : 'complaints'}`;
  },
  tenure: (length, unit) => {
    if (length === null) return 'signup date unknown';
    if (length.value === 0) return 'customer for less than a day';
    return `customer for ${length.text} ${unit}${length.value === 1 ? '' : 's'}`;
  },
  profile: (label, value) => (value === null ? `${label} unknown` : `${label}: ${value}`),
  rfmParts: { recency: 'purchase recency', frequency: 'purchase frequency', monetary: 'spend', total: 'RFM' },
  rfmScore: (label, score, max) => `${label} score ${score === null ? 'unknown' : `${score.text} of ${max}`}`,
  lifecycleStages: {
    new: 'new',
    dormant: 'dormant',
    declining: 'declining',
    growing: 'growing',
    mature: 'mature',
  },
  lifecycle: (stage) => (stage === null ? 'lifecycle stage unknown' : `lifecycle stage: ${stage}`),
  measure: (label, value) => `${label}: ${value === null ? 'not available' : value.text}`,
  named: (name, value) => `${name} = ${value ?? 'missing'}`,
};

const CJK = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z0-9"']/;

/**
 * Joins Chinese text pieces with a space where a Han character meets a Latin letter, digit or quote, or two
 * Latin pieces meet ("近 30 天访问 3 次"), the usual zh-CN typography; the inside of a piece stays as it is.
 */
export function cjkJoin(...pieces: readonly (string | number)[]): string {
  let text = '';
  for (const piece of pieces.map(String)) {
    if (piece === '') continue;
    const left = text.at(-1) ?? '';
    const right = piece[0];
    // Two Latin pieces need a space too ("duration 3"); Han pieces run together as Chinese does.
    const seam = (CJK.test(left) || LATIN.test(left)) && (CJK.test(right) || LATIN.test(right));
    const bothHan = CJK.test(left) && CJK.test(right);
    text += seam && !bothHan ? ` ${piece}` : piece;
  }
  return text;
}

function zhPeriod(period: Period): string {
  if (period.days === 'all') return period.offsetDays ? cjkJoin(period.offsetDays, '天前累计') : '累计';
  if (period.offsetDays) return cjkJoin(period.offsetDays, '天前的', period.days, '天内');
  return cjkJoin('近', period.days, '天');
}

/** "近 30 天无访问"; over all history "至今无访问". */
const zhNone = (what: string, period: Period) =>
  isAllHistory(period) ? cjkJoin('至今无', what) : cjkJoin(zhPeriod(period), '无', what);

const zhCN: ReasonWords = {
  tiers: { high: '高风险', medium: '中风险', low: '低风险' },
  sentence: (tier, phrases) => `${tier}：${phrases.length ? phrases.join('，') : '无明显预警信号'}`,
  sources: {
    events: { one: '活动', many: '活动', counter: '次' },
    transactions: { one: '购买', many: '购买', counter: '次' },
    tickets: { one: '提交工单', many: '工单', counter: '个' },
    cancellations: { one: '取消', many: '取消', counter: '次' },
  },
  eventTypes: {
    visit: { one: '访问', many: '访问', counter: '次' },
    page_view: { one: '页面浏览', many: '页面浏览', counter: '次' },
    login: { one: '登录', many: '登录', counter: '次' },
  },
  otherEventType: (type) => ({ one: `"${type}" 事件`, many: `"${type}" 事件`, counter: '次' }),
  totals: { amount: '消费' },
  averages: { amount: '客单价', satisfaction: '满意度' },
  profileColumns: { segment: '客户分群', region: '地区', plan: '套餐' },
  daysSince: (days, noun) => {
    if (days === null) return cjkJoin('尚无', noun.many, '记录');
    if (days.value < 1) return cjkJoin('距上次', noun.one, '不到 1 天');
    return cjkJoin('距上次', noun.one, '已', days.text, '天');
  },
  count: (count, noun, period) =>
    count.value === 0
      ? zhNone(noun.many, period)
      : cjkJoin(zhPeriod(period), noun.many, count.text, noun.counter),
  spent: (amount, period) =>
    amount.value === 0 ? zhNone('消费', period) : cjkJoin(zhPeriod(period), '消费', amount.text),
  total: (label, total, period) => cjkJoin(zhPeriod(period), label, '合计', total.text),
  average: (label, average, period) =>
    average === null
      ? cjkJoin(zhPeriod(period), '无', label, '记录')
      : cjkJoin(zhPeriod(period), '平均', label, average.text),
  trend: (metric, percent, days) => {
    if (percent === 0) return cjkJoin(metric, '与前', days, '天持平');
    return cjkJoin(metric, '较前', days, percent < 0 ? '天下降' : '天上升', `${Math.abs(percent)}%`);
  },
  openComplaints: (count) => (count.value === 0 ? '无未解决的投诉' : cjkJoin(count.text, '个未解决的投诉')),
  tenure: (length, unit) => {
    if (length === null) return '注册日期未知';
    if (length.value === 0) return '成为客户不到 1 天';
    return cjkJoin('成为客户', length.text, { day: '天', month: '个月', year: '年' }[unit]);
  },
  profile: (label, value) => (value === null ? cjkJoin(label, '未知') : `${label}：${value}`),
  rfmParts: { recency: '最近购买', frequency: '购买频次', monetary: '消费金额', total: 'RFM 总' },
  rfmScore: (label, score, max) =>
    score === null ? cjkJoin(label, '评分未知') : cjkJoin(label, '评分', score.text, `（满分 ${max}）`),
  lifecycleStages: {
    new: '新客期',
    dormant: '沉睡期',
    declining: '衰退期',
    growing: '成长期',
    mature: '成熟期',
  },
  lifecycle: (stage) => (stage === null ? '生命周期阶段未知' : `生命周期阶段：${stage}`),
  measure: (label, value) => `${label}：${value === null ? '无数据' : value.text}`,
  named: (name, value) => `${name} = ${value ?? '缺失'}`,
};

/** The words of every locale. */
export const reasonWords: Readonly<Record<Locale, ReasonWords>> = { en, 'zh-CN': zhCN };
