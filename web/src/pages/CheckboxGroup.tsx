// A labelled group of checkboxes: several choices of a list (tiers, segments, cause tags).

export function CheckboxGroup<T extends string>({
  name,
  title,
  choices,
  values,
  describe,
  onChange,
  disabled = false,
}: {
  name: string;
  title: string;
  choices: readonly T[];
  values: readonly T[];
  describe: (choice: T) => string;
  onChange: (values: T[]) => void;
  disabled?: boolean;
}) {
  const toggle = (choice: T, checked: boolean) =>
    onChange(
      checked
        ? choices.filter((c) => c === choice || values.includes(c))
        : values.filter((c) => c !== choice),
    );
  return (
    <fieldset className="checkbox-group" data-group={name}>
      <legend>{title}</legend>
      {choices.map((choice) => (
        <label key={choice} className="inline">
          <input
            type="checkbox"
            name={name}
            value={choice}
            checked={values.includes(choice)}
            disabled={disabled}
            onChange={(event) => toggle(choice, event.target.checked)}
          />
          {describe(choice)}
        </label>
      ))}
    </fieldset>
  );
}
