// The address a request came from, for login throttling and the audit log. The socket's address only:
// X-Forwarded-For is not trusted, since anyone can send it to dodge the throttle.

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The client's address, or null when the request did not come through a socket (in-process calls). */
export function clientIp(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
