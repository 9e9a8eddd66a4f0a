// The at-risk list as a table: a row per customer, sortable headers, a click (or Enter) opens the 360° view.

import type { KeyboardEvent } from 'react';
import type { CustomerRow } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../routing/router';
import type { SortKey } from './customer-filters';
import { TierBadge } from './TierBadge';

export function CustomerTable({
  rows,
  sort,
  order,
  onSort,
}: {
  rows: CustomerRow[];
  sort: SortKey;
  order: 'asc' | 'desc';
  onSort: (key: SortKey) => void;
}) {
  const { t, locale, formatNumber, formatPercent, label } = useI18n();
  const open = (id: string) => navigate(`/customers/${encodeURIComponent(id)}`);
  const onKey = (event: KeyboardEvent, id: string) => {
    if (event.key === 'Enter') open(id);
  };
  const header = (key: SortKey, text: string) => (
    <th aria-sort={sort === key ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" data-sort={key} onClick={() => onSort(key)}>
        {text}
        <span aria-hidden="true">{sort === key ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
  return (
    <div className="table-wrap">
      <table className="data-table customers" data-table="customers">
        <thead>
          <tr>
            {header('id', t('column.id'))}
            <th>{t('column.name')}</th>
            <th>{t('column.phone')}</th>
            <th className="wide-only">{t('column.email')}</th>
            <th>{t('column.segment')}</th>
            {header('probability', t('column.probability'))}
            <th>{t('column.tier')}</th>
            <th>{t('column.reasons')}</th>
            {header('value', t('column.value'))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              data-customer={row.id}
              data-tier={row.tier}
              className="clickable"
              tabIndex={0}
              onClick={() => open(row.id)}
              onKeyDown={(event) => onKey(event, row.id)}
            >
              <td className="mono">{row.id}</td>
              <td>{row.name ?? '—'}</td>
              <td className="mono" data-field="phone">
                {row.phone ?? '—'}
              </td>
              <td className="wide-only">{row.email ?? '—'}</td>
              <td>{row.segment ? label('segment', row.segment) : '—'}</td>
              <td className="num">{formatPercent(row.probability)}</td>
              <td>
                <TierBadge tier={row.tier} />
              </td>
              <td className="reasons" data-field="reasons">
                {row.reasons[locale]}
              </td>
              <td className="num">{formatNumber(row.value, { maximumFractionDigits: 2 })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
