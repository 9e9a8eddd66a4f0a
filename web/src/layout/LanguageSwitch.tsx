// Switches the dashboard between zh-CN and en; the choice is remembered (see i18n.tsx).

import { LOCALES, type Locale, useI18n } from '../i18n/i18n';

/** Each language is named in itself, so it can be found whatever language is showing. */
const NATIVE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <fieldset className="language-switch" aria-label={t('header.language')}>
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          data-locale={option}
          aria-pressed={option === locale}
          onClick={() => setLocale(option)}
        >
          {NATIVE_NAMES[option]}
        </button>
      ))}
    </fieldset>
  );
}
