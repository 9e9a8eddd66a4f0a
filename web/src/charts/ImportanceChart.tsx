// Global feature importance (mean absolute contribution), the strongest on top.

import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

export function ImportanceChart({ rows }: { rows: { label: string; value: number }[] }) {
  const { t, formatNumber } = useI18n();
  const option = useMemo(() => {
    const shown = [...rows].reverse();
    return {
      grid: { left: 8, right: 24, top: 16, bottom: 24, containLabel: true },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        valueFormatter: (value: unknown) => formatNumber(Number(value), { maximumFractionDigits: 3 }),
      },
      xAxis: { type: 'value', axisLabel: { formatter: (value: number) => formatNumber(value) } },
      yAxis: {
        type: 'category',
        data: shown.map((row) => row.label),
        axisLabel: { width: 180, overflow: 'truncate' },
      },
      series: [
        { name: t('model.importance'), type: 'bar', color: '#1f5fbf', data: shown.map((row) => row.value) },
      ],
    };
  }, [rows, t, formatNumber]);
  return <EChart name="importance" label={t('model.importanceTitle')} option={option} size="tall" />;
}
