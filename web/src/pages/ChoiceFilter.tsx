// A list filter: a labelled select whose first choice, "all", is the empty value.

import { useI18n } from '../i18n/i18n';

/** One filter select; `describe` turns a choice into the words shown for it. */
export function ChoiceFilter<T extends string>({
  name,
  title,
  value,
  choices,
  describe,
  onChange,
}: {
  name: string;
  title: string;
  value: T | '';
  choices: readonly T[];
  describe: (choice: T) => string;
  onChange: (value: T | '') => void;
}) {
  const { t } = useI18n();
  return (
    <label>
      {title}
      <select name={name} value={value} onChange={(event) => onChange(event.target.value as T | '')}>
        <option value="">{t('filter.all')}</option>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {describe(choice)}
          </option>
        ))}
      </select>
    </label>
  );
}
