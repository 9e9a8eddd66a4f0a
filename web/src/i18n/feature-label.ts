// A model feature's name in words, in the chosen language: `visit_30d` → "visits, last 30 days" /
// "近 30 天访问". Built from the feature naming scheme (base_window, days_since_last_base,
// base_trend_window); a name outside the scheme is shown as it is.

import type { I18n } from './i18n';

const WINDOWED = /^([a-z_]+?)_(\d+)d$/;
const TREND = /^([a-z_]+?)_trend_(\d+)d$/;
const SINCE = /^days_since_last_([a-z_]+)$/;

/** The words for `feature` in the language of `i18n`. */
export function featureLabel(i18n: Pick<I18n, 't' | 'label'>, feature: string): string {
  const whole = i18n.label('feature', feature, '');
  if (whole !== '') return whole;
  const trend = TREND.exec(feature);
  if (trend?.[1] && trend[2] && hasBase(i18n, trend[1])) {
    return i18n.t('feature.pattern.trend', { what: i18n.label('feature.base', trend[1]), days: trend[2] });
  }
  const since = SINCE.exec(feature);
  if (since?.[1] && hasBase(i18n, since[1])) {
    return i18n.t('feature.pattern.since', { what: i18n.label('feature.base', since[1]) });
  }
  const windowed = WINDOWED.exec(feature);
  if (windowed?.[1] && windowed[2] && hasBase(i18n, windowed[1])) {
    return i18n.t('feature.pattern.window', {
      what: i18n.label('feature.base', windowed[1]),
      days: windowed[2],
    });
  }
  return feature;
}

function hasBase(i18n: Pick<I18n, 'label'>, base: string): boolean {
  return i18n.label('feature.base', base, '') !== '';
}
