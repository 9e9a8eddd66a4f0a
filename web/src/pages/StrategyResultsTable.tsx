// The measured results per strategy: treated and control customers, churn difference with its interval and
// p-value, saved customers, cost per saved customer, ROI, the verdict (retire highlighted) and, in the demo,
// the simulator's true effect on the same customers.

import type { CampaignResults, StrategyComparison } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import {
  formatMoney,
  formatPoints,
  formatPointsInterval,
  formatPValue,
  formatShare,
} from './retention-format';

export function StrategyResultsTable({
  strategies,
  truth,
  strategyName,
}: {
  strategies: StrategyComparison[];
  truth: CampaignResults['truth'];
  strategyName: (id: string) => string;
}) {
  const i18n = useI18n();
  const { t, label, formatNumber } = i18n;
  const trueEffect = (id: string) => truth?.strategies.find((entry) => entry.strategyId === id);
  return (
    <div className="table-wrap">
      <table className="data-table wrap-head" data-table="strategy-results">
        <thead>
          <tr>
            <th>{t('campaigns.strategy')}</th>
            <th className="num">{t('campaigns.treated')}</th>
            <th className="num">{t('campaigns.control')}</th>
            <th className="num">{t('results.churnDifference')}</th>
            <th className="num">{t('results.pValue')}</th>
            <th className="num">{t('results.saved')}</th>
            <th className="num">{t('results.costPerSaved')}</th>
            <th className="num">{t('results.roi')}</th>
            {truth && <th className="num">{t('results.truth')}</th>}
            <th>{t('results.verdict')}</th>
          </tr>
        </thead>
        <tbody>
          {strategies.map((row) => {
            const real = trueEffect(row.strategyId);
            return (
              <tr key={row.strategyId} data-strategy={row.strategyId} data-verdict={row.verdict}>
                <td>{strategyName(row.strategyId)}</td>
                <td className="num">{formatNumber(row.treated)}</td>
                <td className="num">{formatNumber(row.control)}</td>
                <td className="num" data-field="churn">
                  {formatPoints(i18n, row.churn.difference)}
                  <div className="muted">{formatPointsInterval(i18n, row.churn.low, row.churn.high)}</div>
                </td>
                <td className="num">{formatPValue(i18n, row.churn.pValue)}</td>
                <td className="num">
                  {formatNumber(row.economics.savedCustomers, { maximumFractionDigits: 1 })}
                </td>
                <td className="num">{formatMoney(i18n, row.economics.costPerSaved)}</td>
                <td className="num">{formatShare(i18n, row.economics.roi, 0)}</td>
                {truth && <td className="num">{real ? formatPoints(i18n, real.effect) : '—'}</td>}
                <td>
                  <span className="verdict" data-verdict={row.verdict}>
                    {label('verdict', row.verdict)}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
