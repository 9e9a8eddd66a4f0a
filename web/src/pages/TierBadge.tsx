// A risk tier as a coloured label in the chosen language.

import { useI18n } from '../i18n/i18n';

export function TierBadge({ tier }: { tier: string }) {
  const { label } = useI18n();
  return (
    <span className="tier-badge" data-tier={tier}>
      {label('tier', tier)}
    </span>
  );
}
