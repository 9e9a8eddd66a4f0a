// The dashboard's pages: path, navigation label, and what a placeholder page says is coming.

import type { MessageKey } from '../i18n/en';

export type PageId = 'overview' | 'atRisk' | 'customers' | 'model' | 'data';

export interface PageEntry {
  id: PageId;
  path: string;
  navLabel: MessageKey;
  title: MessageKey;
  /** Set on placeholder pages: what the page will show. */
  coming?: MessageKey;
}

export const PAGES: readonly PageEntry[] = [
  { id: 'overview', path: '/', navLabel: 'nav.overview', title: 'overview.title' },
  { id: 'atRisk', path: '/at-risk', navLabel: 'nav.atRisk', title: 'atRisk.title', coming: 'atRisk.coming' },
  {
    id: 'customers',
    path: '/customers',
    navLabel: 'nav.customers',
    title: 'customers.title',
    coming: 'customers.coming',
  },
  { id: 'model', path: '/model', navLabel: 'nav.model', title: 'model.title', coming: 'model.coming' },
  { id: 'data', path: '/data', navLabel: 'nav.data', title: 'data.title', coming: 'data.coming' },
];

/** The page at `path`, or undefined. */
export function pageAt(path: string): PageEntry | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return PAGES.find((page) => page.path === trimmed);
}
