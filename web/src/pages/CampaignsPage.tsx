// Campaigns: for campaigns:run the builder (preview, then launch); for every role the uplift models the
// builder can price by, and the list with progress.

import type { Me } from '../api/auth';
import { useCampaignsQuery } from '../api/use-campaigns-query';
import { useStrategiesQuery } from '../api/use-strategies-query';
import { useI18n } from '../i18n/i18n';
import { CampaignBuilder } from './CampaignBuilder';
import { CampaignTable } from './CampaignTable';
import { QueryStatus } from './QueryStatus';
import { UpliftPanel } from './UpliftPanel';

export function CampaignsPage({ me }: { me: Me }) {
  const { t, formatNumber } = useI18n();
  const canRun = me.permissions.includes('campaigns:run');
  const list = useCampaignsQuery();
  const active = useStrategiesQuery(canRun ? 'active' : '');
  return (
    <section className="page" data-page="campaigns">
      <h1>{t('campaigns.title')}</h1>
      {canRun ? (
        <>
          <QueryStatus query={active} />
          {active.status === 'done' && <CampaignBuilder strategies={active.data.strategies} />}
        </>
      ) : (
        <p className="muted" data-status="read-only">
          {t('campaigns.readOnly')}
        </p>
      )}
      <UpliftPanel />
      <div className="panel" data-panel="campaign-list">
        <div className="panel-head">
          <h2>{t('campaigns.listTitle')}</h2>
          {list.status === 'done' && (
            <span className="muted" data-status="count">
              {t('campaigns.count', { count: formatNumber(list.data.total) })}
            </span>
          )}
        </div>
        <QueryStatus query={list} />
        {list.status === 'done' &&
          (list.data.campaigns.length === 0 ? (
            <p className="empty-state">{t('campaigns.none')}</p>
          ) : (
            <CampaignTable campaigns={list.data.campaigns} />
          ))}
      </div>
    </section>
  );
}
