// Reasons in words (R14): each driver of a score as a phrase in the user's locale, and the sentence
// "high risk: 34 days since last purchase, …". What to say comes from the feature node; the words, per locale,
// from reason-words.ts.

import { InputError } from '../errors.js';
import type { Feature, FeatureNode, RfmScore, SourceName } from '../features/feature-nodes.js';
import type { Locale } from './drivers.js';
import { type Amount, type Noun, own, type Period, type ReasonWords, reasonWords } from './reason-words.js';
import type { Tier } from './tiers.js';

/** One driver of a score: what the feature is, the customer's value, and how it moved the risk. */
export interface ReasonDriver {
  /** The feature's definition, or only its name for quick-path tables whose features are plain file columns. */
  readonly feature: Feature | string;
  /** A number (NaN or null when missing) or a category text. */
  readonly value: number | string | null;
  /** SHAP contribution to the score; positive raises the risk. */
  readonly contribution: number;
}

/** Columns that hold money: written with 2 decimals, and their windowed sum is spend. */
const MONEY_COLUMNS: ReadonlySet<string> = new Set(['amount']);

/** A trend within ±5% of flat reads as steady: smaller moves are noise, not a warning. */
const STEADY_BAND = 0.05;
const DAYS_PER_MONTH = 365.25 / 12;
const DAYS_PER_YEAR = 365.25;

/** The phrase for one driver, e.g. "34 days since last purchase" / "距上次购买已 34 天". */
export function reasonPhrase(driver: ReasonDriver, locale: Locale = 'en'): string {
  const words = wordsFor(locale);
  const value = normalise(driver.value);
  const feature = driver.feature;
  if (typeof feature === 'string') return words.named(feature, valueText(value));
  // Never throw on a definition we cannot read: a reason is worth less than the score it explains.
  if (!feature?.node) return words.named(feature?.name ?? 'feature', valueText(value));
  return phraseOf(feature.name, feature.node, value, words);
}

/**
 * The reason sentence for a score, e.g. "high risk: a, b, c" / "高风险：a，b，c": the drivers that raise the risk,
 * strongest first, at most `maxReasons` distinct phrases.
 */
export function reasonSentence(
  tier: Tier,
  drivers: readonly ReasonDriver[],
  locale: Locale = 'en',
  maxReasons = 3,
): string {
  const words = wordsFor(locale);
  if (!Object.hasOwn(words.tiers, tier)) {
    throw new InputError(`tier=${tier} must be one of high, medium, low`, { key: 'tier' });
  }
  if (!Number.isInteger(maxReasons) || maxReasons < 1) {
    throw new InputError(`maxReasons=${maxReasons} must be an integer >= 1`, { key: 'maxReasons' });
  }
  const raising = drivers.filter((d) => d.contribution > 0).sort((a, b) => b.contribution - a.contribution);
  // Two features can say the same thing ("no purchases in the last 90 days"); say it once.
  const phrases = [...new Set(raising.map((d) => reasonPhrase(d, locale)))].slice(0, maxReasons);
  return words.sentence(words.tiers[tier], phrases);
}

function wordsFor(locale: Locale): ReasonWords {
  const words = own<ReasonWords>(reasonWords, locale);
  if (!words) {
    throw new InputError(`locale=${locale} must be one of ${Object.keys(reasonWords).join(', ')}`, {
      key: 'locale',
    });
  }
  return words;
}

type Value = number | string | null;

/** Missing is null whatever form it came in (NaN, ±Infinity, empty text); numbers stay numbers, text is trimmed. */
function normalise(value: number | string | null | undefined): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** The value as a number, null when missing, undefined when it is text that is not a number. */
function numeric(value: Value): number | null | undefined {
  if (value === null || typeof value === 'number') return value;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function valueText(value: Value): string | null {
  return typeof value === 'number' ? plain(value).text : value;
}

function phraseOf(name: string, node: FeatureNode, value: Value, words: ReasonWords): string {
  if (node.kind === 'profile')
    return words.profile(own(words.profileColumns, node.column) ?? node.column, valueText(value));
  if (node.kind === 'lifecycleStage') {
    const stage = valueText(value);
    return words.lifecycle(stage === null ? null : (own(words.lifecycleStages, stage) ?? stage));
  }
  const x = numeric(value);
  // Text where a number belongs: show it as it came rather than guess.
  if (x === undefined) return words.named(name, valueText(value));
  switch (node.kind) {
    case 'daysSinceLast':
      return words.daysSince(x === null ? null : whole(Math.max(0, Math.floor(x))), nounOf(node, words));
    case 'windowCount':
      // The compiler writes 0 for an empty window, so a missing count can only mean nothing was recorded.
      return words.count(whole(Math.round(x ?? 0)), nounOf(node, words), periodOf(node));
    case 'windowSum':
      if (MONEY_COLUMNS.has(node.column)) return words.spent(money(x ?? 0), periodOf(node));
      return words.total(node.column, plain(x ?? 0), periodOf(node));
    case 'windowMean':
      return averagePhrase(node, x, words);
    case 'trend':
      return trendPhrase(name, node.of, x, words);
    case 'openTickets':
      return words.openComplaints(whole(Math.max(0, Math.round(x ?? 0))));
    case 'tenure':
      return tenurePhrase(x, words);
    case 'rfmScore':
      return rfmPhrase(name, node, x, words);
    case 'ratio': {
      const mean = meanOf(node.numerator, node.denominator);
      if (mean) return averagePhrase(mean, x, words);
      return words.measure(name.replaceAll('_', ' '), x === null ? null : plain(x));
    }
    default:
      // Node kinds added after these words were written: name = value, never a crash.
      return words.named(name, valueText(value));
  }
}

interface Scope {
  readonly source: SourceName;
  readonly eventType?: string;
}

interface Windowed extends Scope {
  readonly days: number | 'all';
  readonly offsetDays?: number;
}

interface ColumnMean extends Windowed {
  readonly column: string;
}

function nounOf(scope: Scope, words: ReasonWords): Noun {
  if (scope.source === 'events' && scope.eventType !== undefined) {
    return own(words.eventTypes, scope.eventType) ?? words.otherEventType(scope.eventType);
  }
  return own(words.sources, scope.source) ?? words.otherEventType(scope.source);
}

function periodOf(window: Windowed): Period {
  return { days: window.days, offsetDays: window.offsetDays ?? 0 };
}

function averagePhrase(mean: ColumnMean, x: number | null, words: ReasonWords): string {
  const isMoney = MONEY_COLUMNS.has(mean.column);
  // The mean of an amount is missing only when there was no purchase to average: say that.
  if (x === null && isMoney) return words.count(whole(0), nounOf(mean, words), periodOf(mean));
  const label = own(words.averages, mean.column) ?? mean.column;
  return words.average(label, x === null ? null : isMoney ? money(x) : plain(x), periodOf(mean));
}

/** sum(column) / count over the same rows and window is a mean (average order value): phrase it as one. */
function meanOf(numerator: FeatureNode, denominator: FeatureNode): ColumnMean | undefined {
  if (numerator.kind !== 'windowSum' || denominator.kind !== 'windowCount') return undefined;
  const sameRows =
    numerator.source === denominator.source &&
    numerator.eventType === denominator.eventType &&
    numerator.days === denominator.days &&
    (numerator.offsetDays ?? 0) === (denominator.offsetDays ?? 0) &&
    JSON.stringify(numerator.where) === JSON.stringify(denominator.where);
  return sameRows ? numerator : undefined;
}

function trendPhrase(name: string, of: FeatureNode, r: number | null, words: ReasonWords): string {
  // A trend over all history has no previous window to compare with; a missing one had nothing to divide by.
  if (r === null || (of.kind !== 'windowCount' && of.kind !== 'windowSum') || of.days === 'all') {
    return words.named(name, r === null ? null : plain(r).text);
  }
  const metric =
    of.kind === 'windowCount' ? nounOf(of, words).many : (own(words.totals, of.column) ?? of.column);
  // r = (this window + 1) / (previous window + 1), so r − 1 is the relative change.
  const change = r - 1;
  const percent = Math.abs(change) <= STEADY_BAND + 1e-9 ? 0 : Math.round(change * 100);
  return words.trend(metric, percent, of.days);
}

function rfmPhrase(name: string, node: RfmScore, score: number | null, words: ReasonWords): string {
  const label = own(words.rfmParts, node.part);
  if (label === undefined) return words.named(name, score === null ? null : plain(score).text);
  // The total adds the three parts, so its best is three times a part's.
  const max = node.part === 'total' ? 3 * node.bins : node.bins;
  return words.rfmScore(label, score === null ? null : whole(Math.round(score)), max);
}

function tenurePhrase(days: number | null, words: ReasonWords): string {
  if (days === null) return words.tenure(null, 'day');
  const elapsed = Math.max(0, days);
  // Short tenures in days, then months, then years with one decimal ("customer for 2.1 years").
  if (elapsed < 60) return words.tenure(whole(Math.floor(elapsed)), 'day');
  if (elapsed < 2 * DAYS_PER_YEAR) return words.tenure(whole(Math.round(elapsed / DAYS_PER_MONTH)), 'month');
  const years = Math.round((elapsed / DAYS_PER_YEAR) * 10) / 10;
  return words.tenure({ value: years, text: String(years) }, 'year');
}

function whole(n: number): Amount {
  return { value: n, text: String(n) };
}

function money(x: number): Amount {
  return { value: x, text: x.toFixed(2) };
}

/** Integers as integers; otherwise 2 decimals, or 2 significant digits below 1 so small values do not read 0. */
function plain(x: number): Amount {
  if (Number.isInteger(x)) return whole(x);
  const rounded = Math.abs(x) >= 1 ? Number(x.toFixed(2)) : Number(x.toPrecision(2));
  return { value: x, text: String(rounded) };
}
