// The most common main reasons as horizontal bars: customers whose strongest driver it is, and customers
// with it among their drivers.

import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

export interface ReasonBar {
  feature: string;
  label: string;
  main: number;
  anywhere: number;
}

export function ReasonsChart({ rows }: { rows: ReasonBar[] }) {
  const { t, formatNumber } = useI18n();
  const option = useMemo(() => {
    const shown = [...rows].reverse();
    return {
      grid: { left: 8, right: 24, top: 32, bottom: 24, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        valueFormatter: (value: unknown) => formatNumber(Number(value)),
      },
      xAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatNumber(value) } },
      yAxis: {
        type: 'category',
        data: shown.map((row) => row.label),
        axisLabel: { width: 160, overflow: 'truncate' },
      },
      series: [
        { name: t('overview.reasonMain'), type: 'bar', color: '#c8372d', data: shown.map((row) => row.main) },
        {
          name: t('overview.reasonAnywhere'),
          type: 'bar',
          color: '#e8a79f',
          data: shown.map((row) => row.anywhere),
        },
      ],
    };
  }, [rows, t, formatNumber]);
  return <EChart name="reasons" label={t('overview.reasonsTitle')} option={option} size="tall" />;
}
