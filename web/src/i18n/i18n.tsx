// The chosen language (zh-CN or en, remembered in localStorage), its label table, and number and date
// formatting with Intl in that language.

import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { en, type MessageKey, type Messages } from './en';
import { zhCN } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const TABLES: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'churnwatch.locale';

/** What components use to speak the chosen language. */
export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  /** The label for `key`, with `{name}` placeholders filled from `values`. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** The label `prefix.code` when the table has one (a source, a reason code…), else `fallback` (`code`). */
  label(prefix: string, code: string, fallback?: string): string;
  formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
  /** A share (0.25) as a percentage in this language, with `digits` decimals. */
  formatPercent(value: number, digits?: number): string;
  formatDate(value: Date | string | number, options?: Intl.DateTimeFormatOptions): string;
}

const I18nContext = createContext<I18n | null>(null);

/** Provides the language to the tree below. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }, [locale]);
  const value = useMemo(() => makeI18n(locale, setLocale), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The language context; throws outside I18nProvider. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}

function makeI18n(locale: Locale, setLocale: (locale: Locale) => void): I18n {
  const table = TABLES[locale];
  const numberFormat = new Intl.NumberFormat(locale);
  return {
    locale,
    setLocale,
    t: (key, values) =>
      table[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
        values && name in values ? String(values[name]) : whole,
      ),
    label: (prefix, code, fallback = code) => {
      const key = `${prefix}.${code}`;
      return key in table ? table[key as MessageKey] : fallback;
    },
    formatPercent: (value, digits = 1) =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(value),
    formatNumber: (value, options) =>
      options ? new Intl.NumberFormat(locale, options).format(value) : numberFormat.format(value),
    formatDate: (value, options = { dateStyle: 'medium' }) =>
      new Intl.DateTimeFormat(locale, options).format(new Date(value)),
  };
}

/** The remembered choice, else the browser's language when it is Chinese, else English. */
function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'zh-CN' || stored === 'en') return stored;
  } catch {
    // No storage: fall through to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
