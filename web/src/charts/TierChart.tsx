// Customers per risk tier over time, as stacked lines; labels, numbers and dates in the chosen language.

import { useMemo } from 'react';
import type { Period, TierPoint } from '../api/use-tier-counts-query';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

const TIER_COLOURS = { high: '#c8372d', medium: '#e39b22', low: '#3b8c5a' } as const;

export function TierChart({ points, period }: { points: TierPoint[]; period: Period }) {
  const { t, formatNumber, formatDate } = useI18n();
  const option = useMemo(() => {
    const dateOptions: Intl.DateTimeFormatOptions =
      period === 'month' ? { year: 'numeric', month: 'short' } : { month: 'short', day: 'numeric' };
    const tiers = ['high', 'medium', 'low'] as const;
    return {
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        valueFormatter: (value: unknown) => formatNumber(Number(value)),
      },
      xAxis: {
        type: 'category',
        data: points.map((point) => formatDate(point.period, dateOptions)),
      },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatNumber(value) } },
      series: tiers.map((tier) => ({
        name: t(`tier.${tier}`),
        type: 'line',
        stack: 'customers',
        areaStyle: {},
        // One scoring date gives one point: markers keep it visible.
        symbol: points.length > 1 ? 'none' : 'circle',
        symbolSize: 8,
        color: TIER_COLOURS[tier],
        data: points.map((point) => point[tier]),
      })),
    };
  }, [points, period, t, formatNumber, formatDate]);
  return <EChart name="tiers" label={t('overview.tiersTitle')} option={option} />;
}
