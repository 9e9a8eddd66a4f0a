// Customers: find one by id (or name, phone, e-mail for roles that see them), and the 360° view of one
// customer at /customers/:id — profile (masked by role), current score and reasons, score history,
// activity, tickets, latest purchases and the timeline.

import { lazy, Suspense, useState } from 'react';
import type { CustomerPage as CustomerListPage, CustomerView, TimelineItem } from '../api/types';
import { useApiQuery, withQuery } from '../api/use-api-query';
import { type I18n, useI18n } from '../i18n/i18n';
import { navigate } from '../routing/router';
import { CustomerTable } from './CustomerTable';
import { QueryStatus } from './QueryStatus';
import { TierBadge } from './TierBadge';

const ScoreHistoryChart = lazy(() =>
  import('../charts/ScoreHistoryChart').then((module) => ({ default: module.ScoreHistoryChart })),
);

/** The list of customers, or one customer when the path names one. */
export function CustomerPage({ customerId }: { customerId: string | undefined }) {
  return customerId === undefined ? (
    <CustomerSearch />
  ) : (
    <Customer360 key={customerId} customerId={customerId} />
  );
}

function CustomerSearch() {
  const { t, formatNumber } = useI18n();
  const [search, setSearch] = useState('');
  const [submitted, setSubmitted] = useState('');
  const list = useApiQuery<CustomerListPage>(
    withQuery('/api/customers', { search: submitted.trim(), sort: 'id', order: 'asc', limit: 50 }),
  );
  return (
    <section className="page" data-page="customers">
      <h1>{t('customers.title')}</h1>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setSubmitted(search);
        }}
      >
        <label className="grow">
          {t('filter.search')}
          <input
            name="search"
            type="search"
            placeholder={t('filter.searchHint')}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
        <button type="submit" className="primary">
          {t('customers.find')}
        </button>
      </form>
      <QueryStatus query={list} />
      {list.status === 'done' && (
        <>
          <p className="muted">
            {list.data.total === 0
              ? t('atRisk.none')
              : t('customers.found', { count: formatNumber(list.data.total) })}
          </p>
          {list.data.customers.length > 0 && (
            <CustomerTable rows={list.data.customers} sort="id" order="asc" onSort={() => undefined} />
          )}
        </>
      )}
    </section>
  );
}

function Customer360({ customerId }: { customerId: string }) {
  const i18n = useI18n();
  const { t, locale, formatDate, formatNumber, formatPercent, label } = i18n;
  const view = useApiQuery<CustomerView>(`/api/customers/${encodeURIComponent(customerId)}`);
  const data = view.status === 'done' ? view.data : undefined;
  const current = data?.scores.reduce<CustomerView['scores'][number] | undefined>(
    (latest, score) => (latest === undefined || score.scoredAt > latest.scoredAt ? score : latest),
    undefined,
  );
  const dateTime = (value: string) =>
    formatDate(value.replace(' ', 'T'), { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <section className="page" data-page="customer" data-customer={customerId}>
      <p>
        <a
          href="/at-risk"
          onClick={(event) => {
            event.preventDefault();
            navigate('/at-risk');
          }}
        >
          {t('customer.back')}
        </a>
      </p>
      <h1>{t('customer.title', { id: customerId })}</h1>
      <QueryStatus query={view} />
      {data && (
        <div className="grid-2">
          <div className="panel" data-panel="profile">
            <div className="panel-head">
              <h2>{t('customer.profile')}</h2>
              {data.personalMasked && <span className="muted">{t('customer.masked')}</span>}
            </div>
            <dl className="facts">
              <dt>{t('column.name')}</dt>
              <dd>{data.profile.name ?? '—'}</dd>
              <dt>{t('column.phone')}</dt>
              <dd className="mono" data-field="phone">
                {data.profile.phone ?? '—'}
              </dd>
              <dt>{t('column.email')}</dt>
              <dd>{data.profile.email ?? '—'}</dd>
              <dt>{t('column.segment')}</dt>
              <dd>{data.profile.segment ? label('segment', data.profile.segment) : '—'}</dd>
              <dt>{t('column.region')}</dt>
              <dd>{data.profile.region ?? '—'}</dd>
              <dt>{t('column.plan')}</dt>
              <dd>{data.profile.plan ? label('plan', data.profile.plan) : '—'}</dd>
              <dt>{t('customer.signup')}</dt>
              <dd>{formatDate(data.profile.signupAt.replace(' ', 'T'))}</dd>
              <dt>{t('customer.openTickets')}</dt>
              <dd>{formatNumber(data.openTickets)}</dd>
              <dt>{t('customer.cancelled')}</dt>
              <dd>
                {data.cancelledAt
                  ? formatDate(data.cancelledAt.replace(' ', 'T'))
                  : t('customer.notCancelled')}
              </dd>
            </dl>
          </div>

          <div className="panel" data-panel="score">
            <div className="panel-head">
              <h2>{t('customer.currentScore')}</h2>
              {current && <TierBadge tier={current.tier} />}
            </div>
            {current ? (
              <>
                <p className="metric-value">{formatPercent(current.probability)}</p>
                <p className="reasons" data-field="reasons">
                  {current.reasons[locale]}
                </p>
                <p className="muted">
                  {t('customer.scoredAt', {
                    date: formatDate(current.scoredAt),
                    version: current.modelVersion,
                  })}
                </p>
              </>
            ) : (
              <p className="empty-state">{t('customer.noScore')}</p>
            )}
          </div>

          <div className="panel span-2" data-panel="history">
            <div className="panel-head">
              <h2>{t('customer.scoreHistory')}</h2>
              <span className="muted">
                {t('customer.scoreCount', { count: formatNumber(data.scores.length) })}
              </span>
            </div>
            {data.scores.length > 0 ? (
              <Suspense fallback={<p>{t('page.loading')}</p>}>
                <ScoreHistoryChart scores={data.scores} />
              </Suspense>
            ) : (
              <p className="empty-state">{t('customer.noScore')}</p>
            )}
          </div>

          <div className="panel" data-panel="activity">
            <h2>{t('customer.activity', { date: formatDate(data.asOf) })}</h2>
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th>{t('customer.activityKind')}</th>
                    <th className="num">{t('customer.last30')}</th>
                    <th className="num">{t('customer.last90')}</th>
                    <th className="num">{t('customer.amount90')}</th>
                    <th>{t('customer.latest')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.activity.map((row) => (
                    <tr key={row.kind}>
                      <td>{label('activity', row.kind)}</td>
                      <td className="num">{formatNumber(row.last30)}</td>
                      <td className="num">{formatNumber(row.last90)}</td>
                      <td className="num">
                        {row.amount90 === null
                          ? '—'
                          : formatNumber(row.amount90, { maximumFractionDigits: 2 })}
                      </td>
                      <td>{row.latest ? dateTime(row.latest) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>

          <div className="panel" data-panel="tickets">
            <h2>{t('customer.tickets', { count: formatNumber(data.tickets.length) })}</h2>
            {data.tickets.length === 0 ? (
              <p className="muted">{t('customer.noTickets')}</p>
            ) : (
              <div className="table-wrap">
                <table className="data-table" data-table="tickets">
                  <thead>
                    <tr>
                      <th>{t('customer.ticketOpened')}</th>
                      <th>{t('customer.ticketCategory')}</th>
                      <th>{t('customer.ticketResolved')}</th>
                      <th className="num">{t('customer.ticketSatisfaction')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.tickets.map((ticket) => (
                      <tr
                        key={`${ticket.openedAt}-${ticket.category}-${ticket.resolvedAt}`}
                        data-state={ticket.resolvedAt === null ? 'open' : 'resolved'}
                      >
                        <td>{dateTime(ticket.openedAt)}</td>
                        <td>{ticket.category ?? '—'}</td>
                        <td>{ticket.resolvedAt ? dateTime(ticket.resolvedAt) : t('customer.ticketOpen')}</td>
                        <td className="num">
                          {ticket.satisfaction === null ? '—' : formatNumber(ticket.satisfaction)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>

          <div className="panel span-2" data-panel="transactions">
            <h2>{t('customer.transactions', { count: formatNumber(data.transactions.length) })}</h2>
            {data.transactions.length === 0 ? (
              <p className="muted">{t('customer.noTransactions')}</p>
            ) : (
              <div className="table-wrap">
                <table className="data-table" data-table="transactions">
                  <thead>
                    <tr>
                      <th>{t('customer.txAt')}</th>
                      <th className="num">{t('customer.txAmount')}</th>
                      <th>{t('customer.txProduct')}</th>
                      <th>{t('customer.txPayment')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.transactions.map((tx) => (
                      <tr key={`${tx.at}-${tx.amount}-${tx.product}`}>
                        <td>{dateTime(tx.at)}</td>
                        <td className="num">
                          {formatNumber(tx.amount, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}
                        </td>
                        <td>{tx.product ?? '—'}</td>
                        <td>{tx.paymentMethod ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>

          <div className="panel span-2" data-panel="timeline">
            <h2>{t('customer.timeline')}</h2>
            {data.timeline.length === 0 ? (
              <p className="muted">{t('customer.noTimeline')}</p>
            ) : (
              <ul className="timeline">
                {data.timeline.map((entry) => (
                  <li key={`${entry.at}-${entry.kind}-${entry.detail}`} data-kind={entry.kind}>
                    <time>{dateTime(entry.at)}</time>
                    <span className="kind" data-kind={entry.kind}>
                      {label('timeline', entry.kind)}
                    </span>
                    <span data-field="detail">{timelineText(i18n, entry)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** A timeline item in the chosen language: its facts written out; data values (products, reasons) as they are. */
function timelineText(i18n: I18n, entry: TimelineItem): string {
  const { t, label, formatNumber } = i18n;
  const { facts } = entry;
  switch (entry.kind) {
    case 'event':
      return label('eventType', facts.eventType ?? '', facts.eventType ?? entry.detail);
    case 'purchase':
      return [
        facts.amount === null
          ? null
          : formatNumber(facts.amount, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
        facts.product,
      ]
        .filter(Boolean)
        .join(' ');
    case 'ticket':
      return [
        facts.category ?? t('timelineDetail.ticket'),
        facts.resolved ? t('timelineDetail.resolved') : t('timelineDetail.open'),
        facts.satisfaction === null
          ? null
          : t('timelineDetail.satisfaction', { value: formatNumber(facts.satisfaction) }),
      ]
        .filter(Boolean)
        .join(t('timelineDetail.separator'));
    case 'cancellation': {
      const how =
        facts.voluntary === null
          ? null
          : facts.voluntary
            ? t('timelineDetail.voluntary')
            : t('timelineDetail.involuntary');
      return [facts.reason, how].filter(Boolean).join(' ');
    }
  }
}
