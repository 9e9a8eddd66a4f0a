// User administration: list, create (with a one-time password), change role or reset password, delete.

import { z } from 'zod';
import { createAccount, deleteAccount, updateAccount } from '../../security/accounts.js';
import { actorOf } from '../../security/principal.js';
import { listUsers } from '../../security/users.js';
import { defineRoute, signedIn } from '../route.js';
import { passwordSchema, roleSchema, usernameSchema, userSchema } from '../schemas.js';

/** A user and, when one was generated, the one-time password to hand over; it is not shown again. */
const accountSchema = z.object({
  user: userSchema,
  oneTimePassword: z.string().optional().meta({ description: 'shown once; the user must change it' }),
});

export const userRoutes = [
  defineRoute({
    id: 'listUsers',
    method: 'GET',
    path: '/api/users',
    access: 'users:manage',
    tag: 'users',
    summary: 'Every user, by username.',
    response: z.object({ users: z.array(userSchema) }),
    handler: async ({ deps }) => ({ users: await listUsers(deps.warehouse) }),
  }),
  defineRoute({
    id: 'createUser',
    method: 'POST',
    path: '/api/users',
    access: 'users:manage',
    tag: 'users',
    summary:
      'Create a user. Without a password one is generated and returned once; either way the user must ' +
      'change it at first login.',
    body: z
      .object({ username: usernameSchema, role: roleSchema, password: passwordSchema.optional() })
      .strict(),
    status: 201,
    response: accountSchema,
    handler: async ({ deps, body, principal, ip, now }) =>
      createAccount(deps.warehouse, body, actorOf(signedIn(principal), ip), now),
  }),
  defineRoute({
    id: 'updateUser',
    method: 'PATCH',
    path: '/api/users/:userId',
    access: 'users:manage',
    tag: 'users',
    summary:
      "Change a user's role, and/or reset their password to a one-time password (returned once; their " +
      'sessions end). The last admin cannot be demoted.',
    body: z
      .object({ role: roleSchema.optional(), resetPassword: z.boolean().optional() })
      .strict()
      .refine((change) => change.role !== undefined || change.resetPassword === true, {
        message: 'give a role, or resetPassword: true',
      }),
    response: accountSchema,
    handler: async ({ deps, body, params, principal, ip, now }) =>
      updateAccount(deps.warehouse, params.userId, body, actorOf(signedIn(principal), ip), now),
  }),
  defineRoute({
    id: 'deleteUser',
    method: 'DELETE',
    path: '/api/users/:userId',
    access: 'users:manage',
    tag: 'users',
    summary: 'Delete a user and end their sessions. Admins cannot delete themselves or the last admin.',
    status: 204,
    handler: async ({ deps, params, principal, ip, now }) => {
      await deleteAccount(deps.warehouse, params.userId, actorOf(signedIn(principal), ip), now);
      return undefined;
    },
  }),
];
