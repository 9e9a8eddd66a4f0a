// Personal fields in answers (R23): masked for principals without `customers:read-unmasked`; when shown
// unmasked, the read is written to the audit log (who saw which customers, from where).

import { type AuditAction, recordAudit } from '../security/audit-log.js';
import { maskRecord } from '../security/masking.js';
import { can } from '../security/permissions.js';
import { actorOf, type Principal } from '../security/principal.js';
import type { SqlRunner } from '../warehouse/warehouse.js';

/** The personal fields of a customer as answers carry them. */
export interface Personal {
  name: string | null;
  phone: string | null;
  email: string | null;
}

/** True when `principal` sees personal fields unmasked. */
export function seesUnmasked(principal: Principal): boolean {
  return can(principal.role, 'customers:read-unmasked');
}

/** `record` with its personal fields masked unless `unmasked`. */
export function showPersonal<T extends Personal>(record: T, unmasked: boolean): T {
  if (unmasked) return record;
  return { ...record, ...maskRecord<Personal>(record, { name: 'name', phone: 'phone', email: 'email' }) };
}

/** True when a record holds any personal field. */
export function hasPersonal(record: Personal): boolean {
  return record.name !== null || record.phone !== null || record.email !== null;
}

/** Records an unmasked read of the personal fields of `customerIds` (nothing when the list is empty). */
export async function auditUnmaskedRead(
  db: SqlRunner,
  now: number,
  principal: Principal,
  ip: string | null,
  action: Extract<AuditAction, 'customer.read-unmasked' | 'customers.list-unmasked'>,
  customerIds: readonly string[],
): Promise<void> {
  if (customerIds.length === 0) return;
  const target = customerIds.length === 1 ? customerIds[0]! : `${customerIds.length} customers`;
  await recordAudit(db, now, actorOf(principal, ip), action, target, { customerIds });
}
