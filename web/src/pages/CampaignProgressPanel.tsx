// How far a campaign's actions went ("issued 95%, redeemed 30%"): a bar per delivery status, coverage and
// completion, in total and per strategy.

import { ACTION_STATUSES, type Campaign, type CampaignProgress } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import { ProgressBar } from './ProgressBar';

export function CampaignProgressPanel({
  campaign,
  strategyName,
}: {
  campaign: Campaign;
  strategyName: (id: string, fallback: string | null) => string;
}) {
  const { t, label, formatNumber, formatPercent } = useI18n();
  const bars = (progress: CampaignProgress) => (
    <div className="progress-list">
      {ACTION_STATUSES.map((status) => (
        <ProgressBar
          key={status}
          name={status}
          title={label('actionStatus', status)}
          share={progress.statuses[status].share}
          note={formatNumber(progress.statuses[status].count)}
        />
      ))}
      <ProgressBar
        name="coverage"
        title={t('campaign.coverage')}
        share={progress.coverage.share}
        note={t('campaign.coverageNote')}
      />
      <ProgressBar
        name="completion"
        title={t('campaign.completion')}
        share={progress.completion.share}
        note={t('campaign.completionNote')}
      />
    </div>
  );
  return (
    <div className="panel" data-panel="progress">
      <div className="panel-head">
        <h2>{t('campaign.progressTitle')}</h2>
        <span className="muted" data-status="progress-summary">
          {t('campaign.progressSummary', {
            issued: formatPercent(campaign.progress.statuses.issued.share, 0),
            redeemed: formatPercent(campaign.progress.statuses.redeemed.share, 0),
          })}
        </span>
      </div>
      {bars(campaign.progress)}
      {campaign.byStrategy.length > 1 &&
        campaign.byStrategy.map((row) => (
          <div key={row.strategyId} data-strategy={row.strategyId}>
            <h3>
              {t('campaign.strategyCounts', {
                name: strategyName(row.strategyId, row.name),
                treated: formatNumber(row.treated),
                control: formatNumber(row.control),
              })}
            </h3>
            {bars(row.progress)}
          </div>
        ))}
    </div>
  );
}
