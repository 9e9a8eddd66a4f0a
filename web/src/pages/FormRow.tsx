// One input of a form with the error the server (or the form) found in it, shown right under it.

import type { ReactNode } from 'react';

export function FormRow({
  field,
  error,
  wide = false,
  children,
}: {
  /** Set as data-field, for tests and for the error's place. */
  field: string;
  error?: string | null;
  /** Spans the whole form's width (text areas, choice groups). */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      className={wide ? 'form-row wide' : 'form-row'}
      data-field={field}
      data-invalid={error ? 'true' : undefined}
    >
      {children}
      {error && (
        <span className="field-error" role="alert" data-error-for={field}>
          {error}
        </span>
      )}
    </div>
  );
}
