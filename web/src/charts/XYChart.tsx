// Curves on two value axes (ROC, precision–recall, calibration, return curve), optionally with the
// diagonal a random or perfectly calibrated model would draw.

import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

export interface Curve {
  name: string;
  points: [number, number][];
  colour: string;
  /** Shows a marker at each point (few points, such as calibration bins). */
  markers?: boolean;
}

export function XYChart({
  name,
  label,
  curves,
  xName,
  yName,
  diagonal,
  percentAxes = false,
}: {
  name: string;
  label: string;
  curves: Curve[];
  xName: string;
  yName: string;
  /** The name of the dashed line y = x, when drawn. */
  diagonal?: string;
  /** Axes from 0 to 1 labelled as percentages; else plain numbers from the data. */
  percentAxes?: boolean;
}) {
  const { formatNumber, formatPercent } = useI18n();
  const option = useMemo(() => {
    const axisLabel = {
      formatter: (value: number) => (percentAxes ? formatPercent(value, 0) : formatNumber(value)),
    };
    const bounds = percentAxes ? { min: 0, max: 1 } : {};
    const series: object[] = curves.map((curve) => ({
      name: curve.name,
      type: 'line',
      showSymbol: curve.markers ?? false,
      symbolSize: 7,
      color: curve.colour,
      data: curve.points,
    }));
    if (diagonal) {
      series.push({
        name: diagonal,
        type: 'line',
        showSymbol: false,
        color: '#9aa4b1',
        lineStyle: { type: 'dashed' },
        data: [
          [0, 0],
          [1, 1],
        ],
      });
    }
    return {
      grid: { left: 56, right: 24, top: 40, bottom: 48 },
      legend: { top: 0 },
      tooltip: {
        trigger: 'item',
        renderMode: 'richText',
        formatter: (params: { seriesName?: string; value?: unknown }) => {
          const [x, y] = Array.isArray(params.value) ? (params.value as number[]) : [];
          const show = (value: number | undefined) =>
            value === undefined
              ? ''
              : percentAxes
                ? formatPercent(value)
                : formatNumber(value, { maximumFractionDigits: 3 });
          return `${params.seriesName ?? ''}\n${xName}: ${show(x)}\n${yName}: ${show(y)}`;
        },
      },
      xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 28, axisLabel, ...bounds },
      yAxis: { type: 'value', name: yName, axisLabel, ...bounds },
      series,
    };
  }, [curves, xName, yName, diagonal, percentAxes, formatNumber, formatPercent]);
  return <EChart name={name} label={label} option={option} />;
}
