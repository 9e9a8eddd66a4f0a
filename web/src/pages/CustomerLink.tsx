// A customer id that opens the customer's 360° view in place (and still opens in a new tab).

import type { MouseEvent } from 'react';
import { navigate } from '../routing/router';

export function CustomerLink({ id }: { id: string }) {
  const path = `/customers/${encodeURIComponent(id)}`;
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
  return (
    <a className="mono" href={path} data-link="customer" onClick={follow}>
      {id}
    </a>
  );
}
