// A page whose data API is not there yet: checks the session (GET /api/auth/me) and says what is coming.

import { useEffect } from 'react';
import { useMeQuery } from '../api/use-me-query';
import { useI18n } from '../i18n/i18n';
import type { PageEntry } from './page-table';

export function ComingPage({ page, onSignedOut }: { page: PageEntry; onSignedOut: () => void }) {
  const { t, formatDate } = useI18n();
  const query = useMeQuery();
  const signedOut = query.status === 'done' && query.me === null;
  useEffect(() => {
    if (signedOut) onSignedOut();
  }, [signedOut, onSignedOut]);

  return (
    <section className="page" data-page={page.id}>
      <h1>{t(page.title)}</h1>
      {query.status === 'loading' && <p>{t('page.loading')}</p>}
      {query.status === 'error' && (
        <p className="form-error">{t('error.generic', { message: query.error.message })}</p>
      )}
      {query.status === 'done' && query.me && (
        <>
          <p className="coming">{t('page.coming', { what: page.coming ? t(page.coming) : '' })}</p>
          {query.me.sessionExpiresAt && (
            <p className="muted">
              {t('page.sessionUntil', {
                time: formatDate(query.me.sessionExpiresAt, { dateStyle: 'medium', timeStyle: 'short' }),
              })}
            </p>
          )}
        </>
      )}
    </section>
  );
}
