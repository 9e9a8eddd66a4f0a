// Qini curves: churns prevented among the customers a model targets first (per 100 treated customers)
// against the share targeted, one line per estimator, and the dashed line of random targeting from (0, 0) to
// the curves' common last point (the overall churn difference). A curve above that line ranks better than
// chance; the area between them is the Qini coefficient.

import { useMemo } from 'react';
import type { QiniCurve } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

export interface QiniLine {
  name: string;
  colour: string;
  qini: QiniCurve;
}

export function QiniChart({
  name,
  label,
  lines,
  randomName,
  xName,
  yName,
}: {
  name: string;
  label: string;
  lines: QiniLine[];
  /** The name of the random-targeting line. */
  randomName: string;
  xName: string;
  yName: string;
}) {
  const { formatNumber, formatPercent } = useI18n();
  const option = useMemo(() => {
    // Gains are per treated customer; per 100 reads as the percentage points of the uplift table.
    const per100 = (gain: number) => gain * 100;
    const last = lines[0]?.qini.points.at(-1) ?? { fraction: 1, gain: 0 };
    const series: object[] = lines.map((line) => ({
      name: line.name,
      type: 'line',
      showSymbol: true,
      symbolSize: 5,
      color: line.colour,
      data: line.qini.points.map((point) => [point.fraction, per100(point.gain)]),
    }));
    series.push({
      name: randomName,
      type: 'line',
      showSymbol: false,
      color: '#9aa4b1',
      lineStyle: { type: 'dashed' },
      data: [
        [0, 0],
        [last.fraction, per100(last.gain)],
      ],
    });
    const gain = (value: number) => formatNumber(value, { maximumFractionDigits: 1 });
    return {
      grid: { left: 56, right: 24, top: 40, bottom: 48, containLabel: true },
      legend: { top: 0 },
      tooltip: {
        trigger: 'item',
        renderMode: 'richText',
        formatter: (params: { seriesName?: string; value?: unknown }) => {
          const [x, y] = Array.isArray(params.value) ? (params.value as number[]) : [];
          if (x === undefined || y === undefined) return params.seriesName ?? '';
          return `${params.seriesName ?? ''}\n${xName}: ${formatPercent(x, 0)}\n${yName}: ${gain(y)}`;
        },
      },
      xAxis: {
        type: 'value',
        name: xName,
        nameLocation: 'middle',
        nameGap: 28,
        min: 0,
        max: 1,
        axisLabel: { formatter: (value: number) => formatPercent(value, 0) },
      },
      yAxis: {
        type: 'value',
        name: yName,
        nameTextStyle: { align: 'left' },
        axisLabel: { formatter: (value: number) => gain(value) },
      },
      series,
    };
  }, [lines, randomName, xName, yName, formatNumber, formatPercent]);
  return <EChart name={name} label={label} option={option} />;
}
