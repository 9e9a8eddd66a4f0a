// What a campaign would be, before it is launched: candidates, treated and control customers, expected cost
// and net value; the counts per tier and per strategy; who was left out and why.

import type { CampaignPreview } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import { Metric } from './Metric';
import { formatMoney } from './retention-format';

const LEFT_OUT = ['no_eligible_strategy', 'no_positive_value', 'budget_exhausted'] as const;

export function CampaignPreviewPanel({
  plan,
  strategyName,
}: {
  plan: CampaignPreview;
  strategyName: (id: string) => string;
}) {
  const i18n = useI18n();
  const { t, label, formatNumber, formatPercent } = i18n;
  const count = (value: number) => formatNumber(value);
  return (
    <div className="preview" data-panel="preview">
      <h3>{t('campaigns.previewTitle')}</h3>
      <div className="metrics">
        <Metric name="candidates" label={t('campaigns.candidates')} value={count(plan.candidates)} />
        <Metric
          name="treated"
          label={t('campaigns.treated')}
          value={count(plan.treated)}
          note={t('campaigns.controlNote', {
            control: count(plan.control),
            share: formatPercent(plan.controlShare, 0),
          })}
        />
        <Metric name="cost" label={t('campaigns.expectedCost')} value={formatMoney(i18n, plan.cost)} />
        <Metric
          name="netValue"
          label={t('campaigns.expectedNetValue')}
          value={formatMoney(i18n, plan.expectedNetValue)}
        />
      </div>
      {plan.treated === 0 && (
        <p className="form-error" role="alert" data-status="empty-target">
          {t('campaigns.error.empty_target')}
        </p>
      )}
      {plan.ranking === 'uplift' && (
        <ul className="muted" data-list="ranking-notes">
          {plan.rankingNotes.map((note) => (
            <li key={note.strategyId} data-basis={note.basis}>
              {t(note.basis === 'uplift' ? 'campaigns.pricedByUplift' : 'campaigns.pricedByRisk', {
                strategy: strategyName(note.strategyId),
              })}
            </li>
          ))}
        </ul>
      )}
      <div className="grid-2">
        {plan.byTier.length > 0 && (
          <div className="table-wrap">
            <table className="data-table" data-table="preview-tiers">
              <thead>
                <tr>
                  <th>{t('column.tier')}</th>
                  <th className="num">{t('campaigns.candidates')}</th>
                  <th className="num">{t('campaigns.treated')}</th>
                  <th className="num">{t('campaigns.control')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.byTier.map((row) => (
                  <tr key={row.tier} data-tier={row.tier}>
                    <td>{label('tier', row.tier)}</td>
                    <td className="num">{count(row.candidates)}</td>
                    <td className="num">{count(row.treated)}</td>
                    <td className="num">{count(row.control)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="table-wrap">
          <table className="data-table" data-table="preview-left-out">
            <caption className="muted">{t('campaigns.leftOutTitle')}</caption>
            <tbody>
              {LEFT_OUT.map((reason) => (
                <tr key={reason} data-reason={reason}>
                  <th scope="row">{label('leftOut', reason)}</th>
                  <td className="num">{count(plan.unmatched[reason])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {plan.byStrategy.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-table="preview-strategies">
            <thead>
              <tr>
                <th>{t('campaigns.strategy')}</th>
                <th className="num">{t('campaigns.treated')}</th>
                <th className="num">{t('campaigns.control')}</th>
                <th className="num">{t('campaigns.saveRate')}</th>
                <th className="num">{t('campaigns.expectedCost')}</th>
                <th className="num">{t('campaigns.expectedNetValue')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.byStrategy.map((row) => (
                <tr key={row.strategyId} data-strategy={row.strategyId}>
                  <td>{strategyName(row.strategyId)}</td>
                  <td className="num" data-field="treated">
                    {count(row.treated)}
                  </td>
                  <td className="num" data-field="control">
                    {count(row.control)}
                  </td>
                  <td className="num">{formatPercent(row.saveRate)}</td>
                  <td className="num">{formatMoney(i18n, row.cost)}</td>
                  <td className="num">{formatMoney(i18n, row.expectedNetValue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
