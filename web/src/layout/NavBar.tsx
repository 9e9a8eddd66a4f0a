// The navigation between pages: links that route in place (and still open in a new tab).

import type { MouseEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { PAGES, type PageId } from '../pages/page-table';
import { navigate } from '../routing/router';

export function NavBar({ current }: { current: PageId | undefined }) {
  const { t } = useI18n();
  const follow = (event: MouseEvent<HTMLAnchorElement>, path: string) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {PAGES.map((page) => (
        <a
          key={page.id}
          href={page.path}
          data-page={page.id}
          aria-current={page.id === current ? 'page' : undefined}
          onClick={(event) => follow(event, page.path)}
        >
          {t(page.navLabel)}
        </a>
      ))}
    </nav>
  );
}
