// The campaigns, newest first: name (link to the campaign), when and by whom, mode, treated and control
// customers, cost, and how far delivery went (issued and redeemed shares of the treated).

import type { MouseEvent } from 'react';
import type { CampaignSummary } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../routing/router';
import { formatMoney } from './retention-format';

export function CampaignTable({ campaigns }: { campaigns: CampaignSummary[] }) {
  const i18n = useI18n();
  const { t, label, formatNumber, formatPercent, formatDate } = i18n;
  const follow = (event: MouseEvent<HTMLAnchorElement>, path: string) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
  return (
    <div className="table-wrap">
      <table className="data-table" data-table="campaigns">
        <thead>
          <tr>
            <th>{t('campaigns.name')}</th>
            <th>{t('campaigns.created')}</th>
            <th>{t('campaigns.mode')}</th>
            <th className="num">{t('campaigns.treated')}</th>
            <th className="num">{t('campaigns.control')}</th>
            <th className="num">{t('campaigns.cost')}</th>
            <th className="num">{t('campaigns.issued')}</th>
            <th className="num">{t('campaigns.redeemed')}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((campaign) => {
            const path = `/campaigns/${encodeURIComponent(campaign.id)}`;
            return (
              <tr key={campaign.id} data-campaign={campaign.id}>
                <td>
                  <a href={path} data-link="campaign" onClick={(event) => follow(event, path)}>
                    {campaign.name}
                  </a>
                </td>
                <td>
                  {formatDate(campaign.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}
                  {campaign.createdBy && <div className="muted">{campaign.createdBy}</div>}
                </td>
                <td>{label('campaignMode', campaign.mode)}</td>
                <td className="num" data-field="treated">
                  {formatNumber(campaign.treated)}
                </td>
                <td className="num" data-field="control">
                  {formatNumber(campaign.control)}
                </td>
                <td className="num">{formatMoney(i18n, campaign.cost)}</td>
                <td className="num" data-field="issued">
                  {formatPercent(campaign.progress.statuses.issued.share, 0)}
                </td>
                <td className="num" data-field="redeemed">
                  {formatPercent(campaign.progress.statuses.redeemed.share, 0)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
