// The dashboard's pages: path and navigation label; /customers/:id is the customers page on one customer,
// /campaigns/:id the campaigns page on one campaign.

import type { MessageKey } from '../i18n/en';

export type PageId =
  | 'overview'
  | 'atRisk'
  | 'alerts'
  | 'customers'
  | 'strategies'
  | 'campaigns'
  | 'model'
  | 'data';

export interface PageEntry {
  id: PageId;
  path: string;
  navLabel: MessageKey;
  title: MessageKey;
}

export const PAGES: readonly PageEntry[] = [
  { id: 'overview', path: '/', navLabel: 'nav.overview', title: 'overview.title' },
  { id: 'atRisk', path: '/at-risk', navLabel: 'nav.atRisk', title: 'atRisk.title' },
  { id: 'alerts', path: '/alerts', navLabel: 'nav.alerts', title: 'alerts.title' },
  { id: 'customers', path: '/customers', navLabel: 'nav.customers', title: 'customers.title' },
  { id: 'strategies', path: '/strategies', navLabel: 'nav.strategies', title: 'strategies.title' },
  { id: 'campaigns', path: '/campaigns', navLabel: 'nav.campaigns', title: 'campaigns.title' },
  { id: 'model', path: '/model', navLabel: 'nav.model', title: 'model.title' },
  { id: 'data', path: '/data', navLabel: 'nav.data', title: 'data.title' },
];

/** Where a path leads: a page, and the customer id for /customers/:id or the campaign id for /campaigns/:id. */
export interface PageMatch {
  page: PageEntry;
  customerId?: string;
  campaignId?: string;
}

/** The page at `path`, or undefined. */
export function pageAt(path: string): PageMatch | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const customer = /^\/customers\/([^/]+)$/.exec(trimmed);
  const customers = PAGES.find((page) => page.id === 'customers');
  if (customer?.[1] && customers) return { page: customers, customerId: safeDecode(customer[1]) };
  const campaign = /^\/campaigns\/([^/]+)$/.exec(trimmed);
  const campaigns = PAGES.find((page) => page.id === 'campaigns');
  if (campaign?.[1] && campaigns) return { page: campaigns, campaignId: safeDecode(campaign[1]) };
  const page = PAGES.find((entry) => entry.path === trimmed);
  return page ? { page } : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
