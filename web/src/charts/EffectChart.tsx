// Measured differences (treated − control, in percentage points) as bars, each with its 95% interval as an
// error bar: a vertical line from low to high with caps, drawn by one line series broken between groups
// (no custom series, so echarts/core needs no extra part). A zero line shows "no effect".

import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

/** One group's difference and interval, as shares (−0.031 for −3.1 pp). */
export interface Effect {
  label: string;
  difference: number;
  low: number;
  high: number;
}

export function EffectChart({
  name,
  label,
  effects,
  differenceName,
  intervalName,
}: {
  name: string;
  label: string;
  effects: Effect[];
  differenceName: string;
  intervalName: string;
}) {
  const { formatNumber } = useI18n();
  const option = useMemo(() => {
    const points = (value: number) => formatNumber(value * 100, { maximumFractionDigits: 1 });
    // Each interval is two points at its category; a '-' point breaks the line before the next one.
    const interval: (number | string)[][] = [];
    effects.forEach((effect, index) => {
      interval.push([index, effect.low], [index, effect.high], [index, '-']);
    });
    return {
      grid: { left: 56, right: 24, top: 40, bottom: 32, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        valueFormatter: (value: unknown) => points(Number(value)),
      },
      xAxis: { type: 'category', data: effects.map((effect) => effect.label) },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => points(value) } },
      series: [
        {
          name: differenceName,
          type: 'bar',
          barMaxWidth: 48,
          color: '#1f5fbf',
          data: effects.map((effect) => effect.difference),
        },
        {
          name: intervalName,
          type: 'line',
          color: '#1d232b',
          symbol: 'rect',
          symbolSize: [16, 2],
          connectNulls: false,
          lineStyle: { width: 2 },
          tooltip: { show: false },
          data: interval,
        },
      ],
    };
  }, [effects, differenceName, intervalName, formatNumber]);
  return <EChart name={name} label={label} option={option} size="small" />;
}
