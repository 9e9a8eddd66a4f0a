// Who is making a request: a signed-in user (cookie session) or another system (API token).

import type { Actor } from './audit-log.js';
import type { Role } from './roles.js';

/** A signed-in user, through the session cookie. */
export interface SessionPrincipal {
  kind: 'session';
  role: Role;
  userId: string;
  username: string;
  mustChangePassword: boolean;
  sessionHash: string;
  csrfToken: string;
  /** When the session ends without further requests (epoch ms). */
  expiresAt: number;
}

/** Another system, through `Authorization: Bearer`. */
export interface TokenPrincipal {
  kind: 'token';
  role: Role;
  tokenId: string;
  tokenName: string;
}

export type Principal = SessionPrincipal | TokenPrincipal;

/** The principal as the audit log names it: the username, or `token:<name>`. */
export function actorOf(principal: Principal, ip: string | null): Actor {
  return principal.kind === 'session'
    ? { name: principal.username, role: principal.role, ip, userId: principal.userId }
    : { name: `token:${principal.tokenName}`, role: principal.role, ip };
}
