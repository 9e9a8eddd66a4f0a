// The alerts inbox as a table: customer (link to the 360° view), rule, tier and probability with their
// previous values, reasons in the chosen language, when it was raised, delivery counts, status, and the
// acknowledge and close buttons for roles that may use them.

import type { Alert } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { CustomerLink } from './CustomerLink';
import { TierBadge } from './TierBadge';

export function AlertTable({
  alerts,
  canAct,
  busy,
  onAck,
  onClose,
}: {
  alerts: Alert[];
  /** The role may acknowledge and close (alerts:ack). */
  canAct: boolean;
  /** An alert whose change is on its way: its buttons wait. */
  busy: string | null;
  onAck: (id: string) => void;
  onClose: (id: string) => void;
}) {
  const { t, locale, formatPercent, formatDate, label } = useI18n();
  const dateTime = (value: string) => formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="table-wrap">
      <table className="data-table alerts" data-table="alerts">
        <thead>
          <tr>
            <th>{t('alerts.customer')}</th>
            <th>{t('alerts.rule')}</th>
            <th>{t('column.tier')}</th>
            <th className="num">{t('alerts.probability')}</th>
            <th>{t('column.reasons')}</th>
            <th>{t('alerts.created')}</th>
            <th>{t('alerts.delivery')}</th>
            <th>{t('alerts.status')}</th>
            {canAct && <th>{t('alerts.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <tr
              key={alert.id}
              data-alert={alert.id}
              data-status={alert.status}
              data-tier={alert.tier}
              data-segment={alert.segment ?? ''}
            >
              <td>
                <CustomerLink id={alert.customerId} />
                {alert.name && <div className="muted">{alert.name}</div>}
                {alert.segment && <div className="muted">{label('segment', alert.segment)}</div>}
              </td>
              <td>
                <span className="mono">{alert.rule}</span>
                <div className="muted">{label('alertKind', alert.kind)}</div>
              </td>
              <td>
                <TierBadge tier={alert.tier} />
                <div className="muted">
                  {alert.previousTier
                    ? t('alerts.wasTier', { tier: label('tier', alert.previousTier) })
                    : t('alerts.firstScore')}
                </div>
              </td>
              <td className="num" data-field="probability">
                {formatPercent(alert.probability)}
                {alert.previousProbability !== null && (
                  <div className="muted">
                    {t('alerts.was', { value: formatPercent(alert.previousProbability) })}
                  </div>
                )}
              </td>
              <td className="reasons" data-field="reasons">
                {alert.reasons[locale]}
              </td>
              <td>{dateTime(alert.createdAt)}</td>
              <td data-field="delivery">
                {alert.delivery.pending + alert.delivery.delivered + alert.delivery.dead === 0 ? (
                  <span className="muted">{t('alerts.noChannels')}</span>
                ) : (
                  <span className={alert.delivery.dead > 0 ? 'delivery-failed' : undefined}>
                    {t('alerts.deliveryCounts', alert.delivery)}
                  </span>
                )}
              </td>
              <td>
                <span className="alert-status" data-status={alert.status}>
                  {label('alertStatus', alert.status)}
                </span>
                {alert.acknowledgedBy && alert.acknowledgedAt && (
                  <div className="muted">
                    {t('alerts.ackedBy', {
                      name: alert.acknowledgedBy,
                      time: dateTime(alert.acknowledgedAt),
                    })}
                  </div>
                )}
                {alert.closedBy && alert.closedAt && (
                  <div className="muted">
                    {t('alerts.closedBy', { name: alert.closedBy, time: dateTime(alert.closedAt) })}
                  </div>
                )}
              </td>
              {canAct && (
                <td className="actions">
                  {alert.status === 'new' && (
                    <button
                      type="button"
                      data-action="ack"
                      disabled={busy === alert.id}
                      onClick={() => onAck(alert.id)}
                    >
                      {t('alerts.ack')}
                    </button>
                  )}
                  {alert.status !== 'closed' && (
                    <button
                      type="button"
                      data-action="close"
                      disabled={busy === alert.id}
                      onClick={() => onClose(alert.id)}
                    >
                      {t('alerts.close')}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
