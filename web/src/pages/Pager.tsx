// Previous / next for a list answered a page at a time (offset and page size, as the API pages).

import { useI18n } from '../i18n/i18n';

export function Pager({
  offset,
  pageSize,
  total,
  onChange,
}: {
  offset: number;
  pageSize: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="pager">
      <button
        type="button"
        data-action="previous"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - pageSize))}
      >
        {t('pager.previous')}
      </button>
      <button
        type="button"
        data-action="next"
        disabled={offset + pageSize >= total}
        onClick={() => onChange(offset + pageSize)}
      >
        {t('pager.next')}
      </button>
    </div>
  );
}
