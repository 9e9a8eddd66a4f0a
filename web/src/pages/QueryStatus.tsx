// What a panel shows while its data is on its way, or when the API answered with an error.

import type { ApiQuery } from '../api/use-api-query';
import { useI18n } from '../i18n/i18n';

/** Loading text or the error; nothing once the data is there. */
export function QueryStatus({ query }: { query: ApiQuery<unknown> }) {
  const { t } = useI18n();
  if (query.status === 'loading') return <p className="muted">{t('page.loading')}</p>;
  if (query.status === 'error') {
    return (
      <p className="form-error" role="alert">
        {t('error.generic', { message: query.error.message })}
      </p>
    );
  }
  return null;
}
