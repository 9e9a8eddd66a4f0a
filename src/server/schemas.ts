// Zod schemas shared by several routes: users, tokens, the signed-in principal. Each carries an OpenAPI
// component id, so the document names it once and refers to it.

import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../security/passwords.js';
import { ACTIONS } from '../security/permissions.js';
import { ROLES } from '../security/roles.js';

export const roleSchema = z.enum(ROLES).meta({ id: 'Role' });

export const actionSchema = z.enum(ACTIONS).meta({ id: 'Action' });

/** Letters (any script), digits and `._@-`, starting with a letter or digit; stored in lower case. */
export const usernameSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N}._@-]*$/u,
    'letters, digits and ._@- only, starting with a letter or digit',
  );

/** A password as sent; its strength is checked by the account rules, which know the username. */
export const passwordSchema = z.string().min(1).max(MAX_PASSWORD_LENGTH);

const isoTime = z.string().meta({ format: 'date-time' });

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: roleSchema,
    mustChangePassword: z.boolean(),
    createdAt: isoTime,
    passwordChangedAt: isoTime.nullable(),
    lastLoginAt: isoTime.nullable(),
  })
  .meta({ id: 'User' });

export const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    prefix: z.string().meta({ description: 'the first characters of the secret, to recognise it' }),
    createdBy: z.string().nullable(),
    createdAt: isoTime,
    expiresAt: isoTime.nullable(),
    lastUsedAt: isoTime.nullable(),
    revokedAt: isoTime.nullable(),
  })
  .meta({ id: 'ApiToken' });

/** Who is signed in and what they may do; the dashboard shows and hides by `permissions`. */
export const meSchema = z
  .object({
    kind: z.enum(['session', 'token']),
    name: z.string().meta({ description: 'the username, or the API token name' }),
    role: roleSchema,
    permissions: z.array(actionSchema),
    mustChangePassword: z.boolean(),
    csrfToken: z
      .string()
      .optional()
      .meta({ description: 'sessions only: send it as X-CSRF-Token on POST, PUT, PATCH and DELETE' }),
    sessionExpiresAt: isoTime.optional().meta({ description: 'sessions only: when it ends if left idle' }),
  })
  .meta({ id: 'Me' });
