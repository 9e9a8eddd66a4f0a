// Customers per risk tier over time, as stacked lines; labels, numbers and dates in the chosen language.

import { useEffect, useRef } from 'react';
import type { Period, TierPoint } from '../api/use-tier-counts-query';
import { useI18n } from '../i18n/i18n';
import { echarts } from './echarts';

const TIER_COLOURS = { high: '#c8372d', medium: '#e39b22', low: '#3b8c5a' } as const;

export function TierChart({ points, period }: { points: TierPoint[]; period: Period }) {
  const { t, locale, formatNumber, formatDate } = useI18n();
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, {
      renderer: 'canvas',
      locale: locale === 'zh-CN' ? 'ZH' : 'EN',
    });
    const dateOptions: Intl.DateTimeFormatOptions =
      period === 'month' ? { year: 'numeric', month: 'short' } : { month: 'short', day: 'numeric' };
    const tiers = ['high', 'medium', 'low'] as const;
    chart.setOption({
      animation: false,
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
        symbol: 'none',
        color: TIER_COLOURS[tier],
        data: points.map((point) => point[tier]),
      })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [points, period, t, locale, formatNumber, formatDate]);

  return (
    <div
      ref={element}
      className="chart"
      data-chart="tiers"
      role="img"
      aria-label={t('overview.tiersTitle')}
    />
  );
}
