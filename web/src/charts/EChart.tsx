// One ECharts chart on canvas: drawn from an option object, redrawn when it changes, resized with the
// window, in the chosen language. Pages build the option; this component only owns the chart's life.

import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { type ChartOption, echarts } from './echarts';

export function EChart({
  name,
  label,
  option,
  size = 'normal',
}: {
  /** Set as data-chart, for tests and styles. */
  name: string;
  /** What the chart shows, for screen readers. */
  label: string;
  option: ChartOption;
  size?: 'normal' | 'small' | 'tall';
}) {
  const { locale } = useI18n();
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, {
      renderer: 'canvas',
      locale: locale === 'zh-CN' ? 'ZH' : 'EN',
    });
    chart.setOption({ animation: false, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, locale]);

  return (
    <div
      ref={element}
      className={`chart chart-${size}`}
      data-chart={name}
      data-legend={legendOf(option).join('|')}
      role="img"
      aria-label={label}
    />
  );
}

/** The series names (what the legend lists), also given to screen readers and tests. */
function legendOf(option: ChartOption): string[] {
  const series = (option as { series?: unknown }).series;
  if (!Array.isArray(series)) return [];
  return series
    .map((entry: unknown) => (entry as { name?: unknown }).name)
    .filter((name): name is string => typeof name === 'string');
}
