// The permission matrix: which role may do what. Every route names one of these actions (or is public or
// open to any signed-in principal) and one middleware checks it here, so access is decided in one place.

import { ROLES, type Role } from './roles.js';

/**
 * Who may do each action, and why. Names, phones and e-mails are shown unmasked only to the roles that act on
 * one customer (operators call them) or administer the system; analysts model the base and need no identity
 * (PIPL's minimum-necessary rule), viewers only read dashboards.
 */
export const PERMISSIONS = {
  'customers:read': ['admin', 'analyst', 'operator', 'viewer'],
  'customers:read-unmasked': ['admin', 'operator'],
  'scores:read': ['admin', 'analyst', 'operator', 'viewer'],
  'models:read': ['admin', 'analyst', 'operator', 'viewer'],
  'models:train': ['admin', 'analyst'],
  'data:ingest': ['admin', 'analyst'],
  // Loads, quarantine and the return curve: the people who set the data up.
  'data:read': ['admin', 'analyst'],
  'alerts:read': ['admin', 'analyst', 'operator', 'viewer'],
  'alerts:ack': ['admin', 'operator'],
  // Which changes raise alerts: set up with the models and data, by the people who run them.
  'alerts:configure': ['admin', 'analyst'],
  // Retention: everyone sees the strategy library and the campaigns; analysts shape the library, operators run
  // campaigns (and override parameters), and the systems that deliver actions post callbacks with an
  // operator token.
  'strategies:read': ['admin', 'analyst', 'operator', 'viewer'],
  'strategies:edit': ['admin', 'analyst'],
  'campaigns:read': ['admin', 'analyst', 'operator', 'viewer'],
  'campaigns:run': ['admin', 'operator'],
  'campaigns:callback': ['admin', 'operator'],
  'users:manage': ['admin'],
  'tokens:manage': ['admin'],
  'audit:read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

/** Every action, in the matrix's order. */
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** True when `role` may perform `action`. */
export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** The actions `role` may perform, in the matrix's order (the dashboard hides what the user cannot do). */
export function actionsOf(role: Role): Action[] {
  return ACTIONS.filter((action) => can(role, action));
}

/** True when `value` names an action. */
export function isAction(value: string): value is Action {
  return Object.hasOwn(PERMISSIONS, value);
}

/** The matrix as rows of role → allowed, for documentation and the docs page. */
export function permissionTable(): { action: Action; roles: Record<Role, boolean> }[] {
  return ACTIONS.map((action) => ({
    action,
    roles: Object.fromEntries(ROLES.map((role) => [role, can(role, action)])) as Record<Role, boolean>,
  }));
}
