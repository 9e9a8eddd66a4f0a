// One customer's churn probability at each scoring, as a line with a point per score.

import { useMemo } from 'react';
import type { CustomerView } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { EChart } from './EChart';

export function ScoreHistoryChart({ scores }: { scores: CustomerView['scores'] }) {
  const { t, formatDate, formatPercent } = useI18n();
  const option = useMemo(() => {
    const ordered = [...scores].sort((a, b) => a.scoredAt.localeCompare(b.scoredAt));
    return {
      grid: { left: 56, right: 16, top: 32, bottom: 32 },
      legend: { top: 0 },
      tooltip: {
        trigger: 'axis',
        renderMode: 'richText',
        valueFormatter: (value: unknown) => formatPercent(Number(value)),
      },
      xAxis: { type: 'category', data: ordered.map((score) => formatDate(score.scoredAt)) },
      yAxis: {
        type: 'value',
        min: 0,
        max: 1,
        axisLabel: { formatter: (value: number) => formatPercent(value, 0) },
      },
      series: [
        {
          name: t('customer.probability'),
          type: 'line',
          symbolSize: 8,
          color: '#1f5fbf',
          data: ordered.map((score) => score.probability),
        },
      ],
    };
  }, [scores, t, formatDate, formatPercent]);
  return <EChart name="scoreHistory" label={t('customer.scoreHistory')} option={option} size="small" />;
}
