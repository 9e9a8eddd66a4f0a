// The operating point: a slider over the thresholds of the test's PR curve, and at the chosen one the
// precision, recall, customers flagged and the confusion matrix (counts on the test cutoff).

import { useMemo, useState } from 'react';
import type { TestCurves } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { thresholdPoints } from './threshold-point';

export function ThresholdPanel({ test }: { test: TestCurves }) {
  const { t, formatNumber, formatPercent } = useI18n();
  const points = useMemo(() => thresholdPoints(test), [test]);
  // Starts where about a tenth of the test customers are flagged.
  const [index, setIndex] = useState(() => {
    const start = points.findIndex((point) => point.flagged >= test.rows / 10);
    return start < 0 ? Math.max(0, points.length - 1) : start;
  });
  const point = points[Math.min(index, points.length - 1)];
  if (!point) return null;
  const count = (value: number) => formatNumber(value);

  return (
    <div className="panel" data-panel="threshold">
      <div className="panel-head">
        <h2>{t('model.thresholdTitle')}</h2>
        <span className="muted">{t('model.thresholdNote')}</span>
      </div>
      <label className="slider">
        <span>
          {t('model.threshold')}: <strong data-field="threshold">{formatPercent(point.threshold, 2)}</strong>
        </span>
        <input
          type="range"
          name="threshold"
          min={0}
          max={points.length - 1}
          step={1}
          value={index}
          aria-valuetext={formatPercent(point.threshold, 2)}
          onChange={(event) => setIndex(Number(event.target.value))}
        />
      </label>
      <div className="metrics">
        <div className="metric" data-metric="precision">
          <span className="metric-label">{t('model.precision')}</span>
          <span className="metric-value">{formatPercent(point.precision)}</span>
        </div>
        <div className="metric" data-metric="recall">
          <span className="metric-label">{t('model.recall')}</span>
          <span className="metric-value">{formatPercent(point.recall)}</span>
        </div>
        <div className="metric" data-metric="flagged">
          <span className="metric-label">{t('model.flagged')}</span>
          <span className="metric-value" data-field="flagged">
            {count(point.flagged)}
          </span>
          <span className="metric-note">
            {t('model.flaggedShare', { share: formatPercent(point.flagged / Math.max(1, test.rows)) })}
          </span>
        </div>
        <div className="metric" data-metric="falseAlarms">
          <span className="metric-label">{t('model.falseAlarmShare')}</span>
          <span className="metric-value">{formatPercent(point.falsePositives / Math.max(1, test.rows))}</span>
        </div>
      </div>
      <div className="table-wrap">
        <table className="data-table confusion" data-table="confusion">
          <thead>
            <tr>
              <th />
              <th className="num">{t('model.predictedChurn')}</th>
              <th className="num">{t('model.predictedStay')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('model.actualChurn')}</th>
              <td className="num good" data-cell="tp">
                {count(point.truePositives)}
              </td>
              <td className="num bad" data-cell="fn">
                {count(point.falseNegatives)}
              </td>
            </tr>
            <tr>
              <th scope="row">{t('model.actualStay')}</th>
              <td className="num bad" data-cell="fp">
                {count(point.falsePositives)}
              </td>
              <td className="num good" data-cell="tn">
                {count(point.trueNegatives)}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
