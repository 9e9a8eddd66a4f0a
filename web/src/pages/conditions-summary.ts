// Who a strategy is for, in one line of the chosen language: "High risk, Medium risk · Price-sensitive · value ≥ 100".

import type { Conditions } from '../api/retention-types';
import type { I18n } from '../i18n/i18n';
import { formatMoney } from './retention-format';

/** The conditions as words; "everyone" when there are none. */
export function conditionsSummary(i18n: I18n, conditions: Conditions): string {
  const { t, label } = i18n;
  const parts: string[] = [];
  const list = (prefix: string, codes: readonly string[]) =>
    codes.map((code) => label(prefix, code)).join(i18n.t('list.separator'));
  if (conditions.tiers) parts.push(list('tier', conditions.tiers));
  if (conditions.segments) parts.push(list('segment', conditions.segments));
  if (conditions.causes) parts.push(list('cause', conditions.causes));
  if (conditions.minValue !== undefined)
    parts.push(t('strategies.minValueIs', { value: formatMoney(i18n, conditions.minValue) }));
  if (conditions.maxValue !== undefined)
    parts.push(t('strategies.maxValueIs', { value: formatMoney(i18n, conditions.maxValue) }));
  return parts.length === 0 ? t('strategies.everyone') : parts.join(' · ');
}
