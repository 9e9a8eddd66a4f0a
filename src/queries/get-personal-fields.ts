// One customer's personal fields (name, phone, e-mail) as stored: the 360 view leaves them out, so that
// every caller that shows them decides about masking and the audit log.

import type { SqlRunner } from '../warehouse/warehouse.js';

export interface PersonalFields {
  name: string | null;
  phone: string | null;
  email: string | null;
}

/** The personal fields of `customerId`, or null when the customer is unknown. */
export async function getPersonalFields(db: SqlRunner, customerId: string): Promise<PersonalFields | null> {
  const [row] = await db.all<PersonalFields>(
    'SELECT name, phone, email FROM customers WHERE customer_id = ? LIMIT 1',
    [customerId],
  );
  return row ? { name: row.name ?? null, phone: row.phone ?? null, email: row.email ?? null } : null;
}
