import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { findActiveToken, insertToken, listTokens, revokeToken } from './api-tokens.js';
import { sha256Hex } from './secrets.js';

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const DAY = 86_400_000;
let warehouse: Warehouse;

beforeEach(async () => {
  warehouse = await openWarehouse(':memory:');
});
afterEach(() => warehouse.close());

describe('api tokens', () => {
  it('keeps only the hash, shows a recognisable prefix, and finds the token by its secret', async () => {
    const { token, secret } = await insertToken(
      warehouse,
      { name: 'crm', role: 'analyst', createdBy: 'admin', expiresAt: null },
      T0,
    );
    expect(secret).toMatch(/^cw_[A-Za-z0-9_-]{43}$/);
    expect(token.prefix).toBe(secret.slice(0, 9));
    const [row] = await warehouse.all<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
    expect(row.token_hash).toBe(sha256Hex(secret));
    expect(JSON.stringify(await listTokens(warehouse))).not.toContain(secret);
    expect((await findActiveToken(warehouse, secret, T0 + 1))?.name).toBe('crm');
    expect((await listTokens(warehouse))[0].lastUsedAt).toBe(new Date(T0 + 1).toISOString());
    expect(await findActiveToken(warehouse, `${secret}x`, T0)).toBeNull();
    expect(await findActiveToken(warehouse, 'Bearer', T0)).toBeNull();
  });

  it('refuses revoked and expired tokens', async () => {
    const revoked = await insertToken(
      warehouse,
      { name: 'a', role: 'viewer', createdBy: null, expiresAt: null },
      T0,
    );
    await revokeToken(warehouse, revoked.token.id, T0 + 5);
    await revokeToken(warehouse, revoked.token.id, T0 + 9);
    expect(await findActiveToken(warehouse, revoked.secret, T0 + 10)).toBeNull();
    expect((await listTokens(warehouse))[0].revokedAt).toBe(new Date(T0 + 5).toISOString());

    const expiring = await insertToken(
      warehouse,
      { name: 'b', role: 'viewer', createdBy: null, expiresAt: T0 + DAY },
      T0,
    );
    expect(await findActiveToken(warehouse, expiring.secret, T0 + DAY - 1)).not.toBeNull();
    expect(await findActiveToken(warehouse, expiring.secret, T0 + DAY)).toBeNull();
  });
});
