// One campaign (/campaigns/:id): what it is, how far its actions went, the export of its actions for the
// delivering systems and their sending to the configured action webhooks (campaigns:run), and its results.

import { useCallback } from 'react';
import type { Me } from '../api/auth';
import { campaignActionsCsvPath } from '../api/campaign-actions';
import type { Strategy } from '../api/retention-types';
import { useCampaignQuery } from '../api/use-campaign-query';
import { useStrategiesQuery } from '../api/use-strategies-query';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../routing/router';
import { CampaignDispatchPanel } from './CampaignDispatchPanel';
import { CampaignProgressPanel } from './CampaignProgressPanel';
import { CampaignResultsPanel } from './CampaignResultsPanel';
import { QueryStatus } from './QueryStatus';
import { formatMoney } from './retention-format';

const NO_STRATEGIES: readonly Strategy[] = [];

export function CampaignPage({ campaignId, me }: { campaignId: string; me: Me }) {
  const i18n = useI18n();
  const { t, label, locale, formatNumber, formatPercent, formatDate } = i18n;
  const campaign = useCampaignQuery(campaignId);
  const strategies = useStrategiesQuery();
  const canRun = me.permissions.includes('campaigns:run');
  const known = strategies.status === 'done' ? strategies.data.strategies : NO_STRATEGIES;
  const strategyName = useCallback(
    (id: string, fallback: string | null = null) =>
      known.find((strategy) => strategy.id === id)?.name[locale] ?? fallback ?? id,
    [known, locale],
  );

  return (
    <section className="page" data-page="campaign" data-campaign={campaignId}>
      <a
        href="/campaigns"
        className="back"
        onClick={(event) => {
          event.preventDefault();
          navigate('/campaigns');
        }}
      >
        {t('campaign.back')}
      </a>
      <QueryStatus query={campaign} />
      {campaign.status === 'done' && (
        <>
          <div className="title-row">
            <h1>{campaign.data.name}</h1>
            {canRun && (
              <a className="button" href={campaignActionsCsvPath(campaignId)} download data-action="export">
                {t('campaign.export')}
              </a>
            )}
          </div>
          <dl className="facts" data-panel="campaign-facts">
            <dt>{t('campaigns.created')}</dt>
            <dd>
              {formatDate(campaign.data.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}
              {campaign.data.createdBy && ` · ${campaign.data.createdBy}`}
            </dd>
            <dt>{t('campaigns.mode')}</dt>
            <dd>{label('campaignMode', campaign.data.mode)}</dd>
            <dt>{t('campaign.groups')}</dt>
            <dd data-field="groups">
              {t('campaign.groupsValue', {
                treated: formatNumber(campaign.data.treated),
                control: formatNumber(campaign.data.control),
                share: formatPercent(campaign.data.controlShare, 0),
              })}
            </dd>
            <dt>{t('campaigns.cost')}</dt>
            <dd>{formatMoney(i18n, campaign.data.cost)}</dd>
            <dt>{t('campaigns.expectedNetValue')}</dt>
            <dd>{formatMoney(i18n, campaign.data.expectedNetValue)}</dd>
            <dt>{t('campaigns.budget')}</dt>
            <dd>
              {campaign.data.budget === null
                ? t('campaigns.noLimit')
                : formatMoney(i18n, campaign.data.budget)}
            </dd>
          </dl>
          <CampaignProgressPanel campaign={campaign.data} strategyName={strategyName} />
          <CampaignDispatchPanel campaignId={campaignId} canRun={canRun} />
          <CampaignResultsPanel campaignId={campaignId} me={me} strategyName={strategyName} />
        </>
      )}
    </section>
  );
}
