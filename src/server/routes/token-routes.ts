// API tokens for other systems: create (the secret is shown once), list, revoke.

import { z } from 'zod';
import { getToken, insertToken, listTokens, revokeToken } from '../../security/api-tokens.js';
import { recordAudit } from '../../security/audit-log.js';
import { actorOf } from '../../security/principal.js';
import { HttpError } from '../http-error.js';
import { defineRoute, signedIn } from '../route.js';
import { roleSchema, tokenSchema } from '../schemas.js';

const DAY_MS = 86_400_000;

export const tokenRoutes = [
  defineRoute({
    id: 'listTokens',
    method: 'GET',
    path: '/api/tokens',
    access: 'tokens:manage',
    tag: 'tokens',
    summary: 'Every API token, revoked ones included, newest first; never the secrets.',
    response: z.object({ tokens: z.array(tokenSchema) }),
    handler: async ({ deps }) => ({ tokens: await listTokens(deps.warehouse) }),
  }),
  defineRoute({
    id: 'createToken',
    method: 'POST',
    path: '/api/tokens',
    access: 'tokens:manage',
    tag: 'tokens',
    summary:
      'Create an API token holding one role. The secret is returned once (only its SHA-256 is stored); ' +
      'send it as "Authorization: Bearer <secret>".',
    body: z
      .object({
        name: z.string().trim().min(1).max(64),
        role: roleSchema,
        expiresInDays: z.number().int().min(1).max(3650).optional(),
      })
      .strict(),
    status: 201,
    response: z.object({ token: tokenSchema, secret: z.string() }),
    handler: async ({ deps, body, principal, ip, now }) => {
      const actor = actorOf(signedIn(principal), ip);
      return deps.warehouse.transaction(async (tx) => {
        const expiresAt = body.expiresInDays === undefined ? null : now + body.expiresInDays * DAY_MS;
        const created = await insertToken(
          tx,
          { name: body.name, role: body.role, createdBy: actor.name, expiresAt },
          now,
        );
        await recordAudit(tx, now, actor, 'token.create', body.name, {
          tokenId: created.token.id,
          role: body.role,
          expiresAt: created.token.expiresAt,
        });
        return created;
      });
    },
  }),
  defineRoute({
    id: 'revokeToken',
    method: 'DELETE',
    path: '/api/tokens/:tokenId',
    access: 'tokens:manage',
    tag: 'tokens',
    summary: 'Revoke an API token: it stops working at once and stays listed as revoked.',
    status: 204,
    handler: async ({ deps, params, principal, ip, now }) => {
      const actor = actorOf(signedIn(principal), ip);
      await deps.warehouse.transaction(async (tx) => {
        const token = await getToken(tx, params.tokenId);
        if (!token) {
          throw new HttpError(
            404,
            'token_not_found',
            `no API token with id "${params.tokenId}"`,
            'path tokenId',
          );
        }
        await revokeToken(tx, token.id, now);
        await recordAudit(tx, now, actor, 'token.revoke', token.name, { tokenId: token.id });
      });
      return undefined;
    },
  }),
];
