// A share as a labelled bar ("Issued 95%"), with the count it is of.

import { useI18n } from '../i18n/i18n';

export function ProgressBar({
  name,
  title,
  share,
  note,
}: {
  /** Set as data-progress, for tests and styles. */
  name: string;
  title: string;
  share: number;
  note?: string;
}) {
  const { formatPercent } = useI18n();
  const clamped = Math.max(0, Math.min(1, share));
  return (
    <div className="progress" data-progress={name}>
      <span className="progress-label">
        {title} <strong data-field="share">{formatPercent(share, 0)}</strong>
        {note && <span className="muted"> · {note}</span>}
      </span>
      <progress max={1} value={clamped} aria-label={title}>
        {formatPercent(share, 0)}
      </progress>
    </div>
  );
}
