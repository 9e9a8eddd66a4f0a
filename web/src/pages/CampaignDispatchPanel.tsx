// Where a campaign's actions went: the action webhooks they were sent to and how many batches each receiver
// accepted; for campaigns:run, sending them to a configured webhook (once per webhook). Follows the batches
// every few seconds while some are still on their way.

import { useEffect, useState } from 'react';
import { dispatchCampaign, useActionWebhooksQuery, useDispatchesQuery } from '../api/dispatch-actions';
import { useI18n } from '../i18n/i18n';
import { QueryStatus } from './QueryStatus';

/** How often the panel asks again while batches are pending. */
const FOLLOW_MS = 3000;

export function CampaignDispatchPanel({ campaignId, canRun }: { campaignId: string; canRun: boolean }) {
  const { t, formatNumber, formatDate } = useI18n();
  const [version, setVersion] = useState(0);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const webhooks = useActionWebhooksQuery();
  const dispatches = useDispatchesQuery(campaignId, version);
  const sent = dispatches.status === 'done' ? dispatches.data.dispatches : [];
  const waiting = sent.some((d) => d.pending > 0);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setVersion((v) => v + 1), FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
  const unsent =
    webhooks.status === 'done'
      ? webhooks.data.webhooks.filter((w) => !sent.some((d) => d.webhook === w.name))
      : [];
  const selected = unsent.some((w) => w.name === choice) ? choice : (unsent[0]?.name ?? '');
  const send = async () => {
    setBusy(true);
    try {
      const result = await dispatchCampaign(campaignId, selected);
      setMessage(
        t('dispatch.queued', {
          webhook: result.dispatch.webhook,
          actions: formatNumber(result.dispatch.actions),
          batches: formatNumber(result.dispatch.batches),
        }),
      );
      setVersion((v) => v + 1);
    } catch (error) {
      setMessage(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="panel" data-panel="campaign-dispatch">
      <div className="panel-head">
        <h2>{t('dispatch.title')}</h2>
      </div>
      <p className="muted">{t('dispatch.note')}</p>
      <QueryStatus query={webhooks} />
      {webhooks.status === 'done' && webhooks.data.webhooks.length === 0 && (
        <p className="empty-state" data-status="no-webhooks">
          {t('dispatch.noWebhooks')}
        </p>
      )}
      {canRun && unsent.length > 0 && (
        <div className="filters">
          <label>
            {t('dispatch.webhook')}{' '}
            <select name="webhook" value={selected} onChange={(event) => setChoice(event.target.value)}>
              {unsent.map((w) => (
                <option key={w.name} value={w.name}>
                  {t('dispatch.webhookOption', {
                    name: w.name,
                    host: w.host,
                    size: formatNumber(w.batchSize),
                  })}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" data-action="dispatch" disabled={busy || selected === ''} onClick={send}>
            {t('dispatch.send')}
          </button>
        </div>
      )}
      {message && (
        <p className="muted" data-status="dispatch">
          {message}
        </p>
      )}
      <QueryStatus query={dispatches} />
      {sent.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" data-table="dispatches">
            <thead>
              <tr>
                <th>{t('dispatch.webhook')}</th>
                <th className="num">{t('dispatch.actions')}</th>
                <th className="num">{t('dispatch.delivered')}</th>
                <th className="num">{t('dispatch.pending')}</th>
                <th className="num">{t('dispatch.dead')}</th>
                <th>{t('dispatch.lastError')}</th>
                <th>{t('dispatch.sent')}</th>
              </tr>
            </thead>
            <tbody>
              {sent.map((d) => (
                <tr key={d.webhook} data-dispatch={d.webhook}>
                  <td className="mono">{d.webhook}</td>
                  <td className="num">{formatNumber(d.actions)}</td>
                  <td className="num" data-field="delivered">
                    {t('dispatch.ofBatches', {
                      count: formatNumber(d.delivered),
                      batches: formatNumber(d.batches),
                    })}
                  </td>
                  <td className="num">{formatNumber(d.pending)}</td>
                  <td className="num">{formatNumber(d.dead)}</td>
                  <td className="raw">{d.lastError ?? '—'}</td>
                  <td>
                    {formatDate(d.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}
                    {d.createdBy && ` · ${d.createdBy}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
