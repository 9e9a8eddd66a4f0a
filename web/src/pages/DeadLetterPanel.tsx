// The outbox's dead letters: alert messages whose delivery attempts ran out, with the last error, and a
// retry button for roles that may (alerts:ack).

import { useState } from 'react';
import { retryMessage } from '../api/alert-actions';
import type { OutboxPage } from '../api/types';
import { useApiQuery } from '../api/use-api-query';
import { useI18n } from '../i18n/i18n';
import { CustomerLink } from './CustomerLink';
import { QueryStatus } from './QueryStatus';

export function DeadLetterPanel({ canAct }: { canAct: boolean }) {
  const { t, formatDate, formatNumber } = useI18n();
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const dead = useApiQuery<OutboxPage>('/api/alerts/outbox?status=dead&limit=50', version);
  const retry = async (id: string) => {
    setBusy(id);
    try {
      await retryMessage(id);
      setMessage(t('alerts.retried', { id }));
      setVersion((v) => v + 1);
    } catch (error) {
      setMessage(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="panel" data-panel="dead-letters">
      <div className="panel-head">
        <h2>{t('alerts.deadTitle')}</h2>
        {dead.status === 'done' && <span className="muted">{formatNumber(dead.data.total)}</span>}
      </div>
      <p className="muted">{t('alerts.deadNote')}</p>
      {message && (
        <p className="muted" data-status="retry">
          {message}
        </p>
      )}
      <QueryStatus query={dead} />
      {dead.status === 'done' &&
        (dead.data.messages.length === 0 ? (
          <p className="empty-state">{t('alerts.noDead')}</p>
        ) : (
          <div className="table-wrap">
            <table className="data-table" data-table="dead-letters">
              <thead>
                <tr>
                  <th>{t('alerts.channel')}</th>
                  <th>{t('alerts.customer')}</th>
                  <th>{t('alerts.rule')}</th>
                  <th className="num">{t('alerts.attempts')}</th>
                  <th>{t('alerts.lastError')}</th>
                  <th>{t('alerts.created')}</th>
                  {canAct && <th>{t('alerts.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {dead.data.messages.map((entry) => (
                  <tr key={entry.id} data-message={entry.id}>
                    <td className="mono">{entry.channel}</td>
                    <td>{entry.customerId ? <CustomerLink id={entry.customerId} /> : '—'}</td>
                    <td className="mono">{entry.rule ?? '—'}</td>
                    <td className="num">{formatNumber(entry.attempts)}</td>
                    <td className="raw">{entry.lastError ?? '—'}</td>
                    <td>{formatDate(entry.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                    {canAct && (
                      <td>
                        <button
                          type="button"
                          data-action="retry"
                          disabled={busy === entry.id}
                          onClick={() => retry(entry.id)}
                        >
                          {t('alerts.retry')}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}
