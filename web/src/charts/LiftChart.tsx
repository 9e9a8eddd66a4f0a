// Lift by decile (bars, left axis) and cumulative gains (line, right axis) on the test cutoff.

import { useMemo } from 'react';
import type { TestCurves } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

export function LiftChart({ lift }: { lift: TestCurves['lift'] }) {
  const { t, formatNumber, formatPercent } = useI18n();
  const option = useMemo(
    () => ({
      grid: { left: 48, right: 56, top: 40, bottom: 48 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: {
        type: 'category',
        name: t('model.decile'),
        nameLocation: 'middle',
        nameGap: 28,
        data: lift.map((row) => formatNumber(row.decile)),
      },
      yAxis: [
        {
          type: 'value',
          name: t('model.lift'),
          axisLabel: { formatter: (value: number) => formatNumber(value) },
        },
        {
          type: 'value',
          name: t('model.gains'),
          min: 0,
          max: 1,
          axisLabel: { formatter: (value: number) => formatPercent(value, 0) },
        },
      ],
      series: [
        {
          name: t('model.lift'),
          type: 'bar',
          color: '#1f5fbf',
          data: lift.map((row) => row.lift),
          tooltip: {
            valueFormatter: (value: unknown) => formatNumber(Number(value), { maximumFractionDigits: 2 }),
          },
        },
        {
          name: t('model.gains'),
          type: 'line',
          yAxisIndex: 1,
          color: '#c8372d',
          data: lift.map((row) => row.cumulativeGain),
          tooltip: { valueFormatter: (value: unknown) => formatPercent(Number(value)) },
        },
      ],
    }),
    [lift, t, formatNumber, formatPercent],
  );
  return <EChart name="lift" label={t('model.liftTitle')} option={option} />;
}
