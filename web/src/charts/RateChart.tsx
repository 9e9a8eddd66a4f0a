// Shares over categories (months, or months since signup) as lines on a percentage axis: churn rates,
// revenue retention, cohort retention curves. Missing points (months not yet final) leave a gap.

import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

export interface RateSeries {
  name: string;
  values: (number | null)[];
  colour?: string;
}

export function RateChart({
  name,
  label,
  categories,
  series,
  xName,
}: {
  name: string;
  label: string;
  categories: string[];
  series: RateSeries[];
  xName?: string;
}) {
  const { formatPercent } = useI18n();
  const option = useMemo(
    () => ({
      grid: { left: 56, right: 24, top: 40, bottom: xName ? 48 : 32 },
      legend: { top: 0, type: 'scroll' },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        valueFormatter: (value: unknown) =>
          value === null || value === undefined || value === '-' ? '—' : formatPercent(Number(value)),
      },
      xAxis: {
        type: 'category',
        data: categories,
        ...(xName ? { name: xName, nameLocation: 'middle', nameGap: 28 } : {}),
      },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatPercent(value, 0) } },
      series: series.map((line) => ({
        name: line.name,
        type: 'line',
        // A single point would not show as a line.
        symbol: line.values.filter((v) => v !== null).length > 1 ? 'none' : 'circle',
        symbolSize: 8,
        ...(line.colour ? { color: line.colour } : {}),
        data: line.values.map((v) => (v === null ? '-' : v)),
      })),
    }),
    [categories, series, xName, formatPercent],
  );
  return <EChart name={name} label={label} option={option} />;
}
