/** Shared by the /invoices/{id} routes: the invoice, or a 404 that names the id. */
import { EfactError } from '../../../domain/errors.js';
import type { Invoice } from '../../../domain/invoice.js';
import type { Store } from '../../../ports/store.js';

export async function loadInvoice(store: Store, id: number): Promise<Invoice> {
  const invoice = await store.getInvoice(id);
  if (!invoice) throw new EfactError('NOT_FOUND', `no invoice with id ${id}`, { details: { id } });
  return invoice;
}
