// A measured campaign: treated against control on churn, repurchase and value, each difference with its 95%
// interval and p-value (a table and a chart of the differences with error bars), the economics (saved
// customers, cost per saved customer, ROI), a warning when the groups are too small, the verdict per
// strategy and, in the demo, the simulator's true effect next to the measured difference.

import { useMemo } from 'react';
import type { CampaignResults, Measurement, Proportions } from '../api/retention-types';
import { EffectChart } from '../charts/EffectChart';
import { useI18n } from '../i18n/i18n';
import { Metric } from './Metric';
import {
  formatMoney,
  formatMoneyInterval,
  formatPoints,
  formatPointsInterval,
  formatPValue,
  formatShare,
} from './retention-format';
import { StrategyResultsTable } from './StrategyResultsTable';

type Measured = Extract<Measurement, { status: 'measured' }>;

export function MeasuredResults({
  measurement,
  truth,
  strategyName,
}: {
  measurement: Measured;
  truth: CampaignResults['truth'];
  strategyName: (id: string) => string;
}) {
  const i18n = useI18n();
  const { t, formatNumber, formatPercent } = i18n;
  const { overall } = measurement;
  const { economics } = overall;
  const tooSmall = overall.churn.tooSmall || overall.repurchase.tooSmall;
  const effects = useMemo(
    () => [
      { label: t('results.churn'), ...overall.churn },
      { label: t('results.repurchase'), ...overall.repurchase },
      ...(measurement.strategies.length > 1
        ? measurement.strategies.map((row) => ({ label: strategyName(row.strategyId), ...row.churn }))
        : []),
    ],
    [overall, measurement.strategies, strategyName, t],
  );
  const shareRow = (name: string, title: string, p: Proportions) => (
    <tr data-measure={name}>
      <th scope="row">{title}</th>
      <td className="num">{formatPercent(p.treatedRate)}</td>
      <td className="num">{formatPercent(p.controlRate)}</td>
      <td className="num" data-field="difference">
        {formatPoints(i18n, p.difference)}
      </td>
      <td className="num" data-field="interval">
        {formatPointsInterval(i18n, p.low, p.high)}
      </td>
      <td className="num" data-field="p">
        {formatPValue(i18n, p.pValue)}
      </td>
    </tr>
  );

  return (
    <div className="measured" data-status="measured">
      {truth && (
        <p className="truth" data-status="truth">
          {t('results.truthLine', {
            measured: formatPoints(i18n, overall.churn.difference),
            interval: formatPointsInterval(i18n, overall.churn.low, overall.churn.high),
            truth: formatPoints(i18n, truth.effect),
          })}
        </p>
      )}
      {tooSmall && (
        <p className="warning" role="alert" data-status="too-small">
          {t('results.tooSmall')}
        </p>
      )}
      <div className="metrics">
        <Metric
          name="churnDifference"
          label={t('results.churnDifference')}
          value={formatPoints(i18n, overall.churn.difference)}
          note={`${t('results.interval', { interval: formatPointsInterval(i18n, overall.churn.low, overall.churn.high) })} · ${formatPValue(i18n, overall.churn.pValue)}`}
        />
        <Metric
          name="saved"
          label={t('results.saved')}
          value={formatNumber(economics.savedCustomers, { maximumFractionDigits: 1 })}
          note={t('results.interval', {
            interval: `[${formatNumber(economics.savedLow, { maximumFractionDigits: 1 })}, ${formatNumber(economics.savedHigh, { maximumFractionDigits: 1 })}]`,
          })}
        />
        <Metric
          name="costPerSaved"
          label={t('results.costPerSaved')}
          value={formatMoney(i18n, economics.costPerSaved)}
          note={t('results.interval', {
            interval: formatMoneyInterval(i18n, economics.costPerSavedLow, economics.costPerSavedHigh),
          })}
        />
        <Metric
          name="roi"
          label={t('results.roi')}
          value={formatShare(i18n, economics.roi, 0)}
          note={t('results.roiNote', {
            cost: formatMoney(i18n, economics.totalCost),
            value: formatMoney(i18n, economics.valueSaved),
          })}
        />
      </div>
      <div className="table-wrap">
        <table className="data-table comparison" data-table="comparison">
          <thead>
            <tr>
              <th />
              <th className="num">{t('results.treatedGroup', { count: formatNumber(overall.treated) })}</th>
              <th className="num">{t('results.controlGroup', { count: formatNumber(overall.control) })}</th>
              <th className="num">{t('results.difference')}</th>
              <th className="num">{t('results.ci95')}</th>
              <th className="num">{t('results.pValue')}</th>
            </tr>
          </thead>
          <tbody>
            {shareRow('churn', t('results.churn'), overall.churn)}
            {shareRow('repurchase', t('results.repurchase'), overall.repurchase)}
            <tr data-measure="value">
              <th scope="row">{t('results.value')}</th>
              <td className="num">{formatMoney(i18n, overall.value.treatedMean)}</td>
              <td className="num">{formatMoney(i18n, overall.value.controlMean)}</td>
              <td className="num" data-field="difference">
                {formatNumber(overall.value.difference, {
                  maximumFractionDigits: 2,
                  signDisplay: 'exceptZero',
                })}
              </td>
              <td className="num" data-field="interval">
                {formatMoneyInterval(i18n, overall.value.low, overall.value.high)}
              </td>
              <td className="num" data-field="p">
                {formatPValue(i18n, overall.value.pValue)}
              </td>
            </tr>
          </tbody>
        </table>
        {measurement.unlabelled > 0 && (
          <p className="muted">{t('results.unlabelled', { count: formatNumber(measurement.unlabelled) })}</p>
        )}
      </div>
      <EffectChart
        name="effects"
        label={t('results.chartLabel')}
        effects={effects}
        differenceName={t('results.differenceSeries')}
        intervalName={t('results.ci95')}
      />
      <h3>{t('results.perStrategy')}</h3>
      <StrategyResultsTable strategies={measurement.strategies} truth={truth} strategyName={strategyName} />
    </div>
  );
}
