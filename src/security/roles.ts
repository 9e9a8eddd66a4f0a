// The four roles a user or an API token can hold. What each may do lives in permissions.ts, nowhere else.

/** Roles, most powerful first. */
export const ROLES = ['admin', 'analyst', 'operator', 'viewer'] as const;

export type Role = (typeof ROLES)[number];

/** True when `value` names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
