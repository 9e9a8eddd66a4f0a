// How retention figures read in either language: differences in percentage points with a sign, intervals,
// amounts of money (the workspace's currency, unnamed), p-values and shares that may be missing.

import type { I18n } from '../i18n/i18n';

/** A difference of shares in percentage points: −0.031 → "−3.1 pp" (zh-CN: "−3.1 个百分点"). */
export function formatPoints(i18n: I18n, share: number): string {
  const value = i18n.formatNumber(share * 100, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  });
  return i18n.t('results.points', { value });
}

/** An interval of shares in percentage points: "[−5.0, −1.2]". */
export function formatPointsInterval(i18n: I18n, low: number, high: number): string {
  const one = (share: number) =>
    i18n.formatNumber(share * 100, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    });
  return `[${one(low)}, ${one(high)}]`;
}

/** An amount of money with at most two decimals; "—" when missing. */
export function formatMoney(i18n: I18n, value: number | null): string {
  if (value === null) return '—';
  return i18n.formatNumber(value, { maximumFractionDigits: Math.abs(value) < 100 ? 2 : 0 });
}

/** A money interval "[a, b]"; "—" when either end is missing. */
export function formatMoneyInterval(i18n: I18n, low: number | null, high: number | null): string {
  if (low === null || high === null) return '—';
  return `[${formatMoney(i18n, low)}, ${formatMoney(i18n, high)}]`;
}

/** A p-value: "p = 0.031", "p < 0.001", or "—" when there are too few customers to compute one. */
export function formatPValue(i18n: I18n, p: number | null): string {
  if (p === null) return '—';
  if (p < 0.001) return i18n.t('results.pBelow', { value: i18n.formatNumber(0.001) });
  return i18n.t('results.p', {
    value: i18n.formatNumber(p, { maximumFractionDigits: 3, minimumFractionDigits: 3 }),
  });
}

/** A share as a percentage, or "—" when missing. */
export function formatShare(i18n: I18n, share: number | null, digits = 1): string {
  return share === null ? '—' : i18n.formatPercent(share, digits);
}
