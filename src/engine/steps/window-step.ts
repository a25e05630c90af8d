/**
 * The manuals' ZileBefore: an invoice still waiting at the platform after this many days is no
 * longer tracked automatically (ANAF keeps answers only 60 days). It is not dropped silently:
 * it moves to needs-attention with the reason.
 */
import type { Company } from '../../domain/company.js';
import type { TransitionRequest } from '../../ports/store.js';
import type { EngineContext } from '../context.js';

export async function expireOutOfWindow(ctx: EngineContext, company: Company): Promise<number> {
  const { store, clock, instance, settings } = ctx;
  const cutoff = clock.now().getTime() - settings.windowDays * 24 * 3600_000;
  const transitions: TransitionRequest[] = [];
  for (const status of ['processing', 'ok'] as const) {
    const invoices = await store.listInvoices({ companyId: company.id, environment: company.environment, status, limit: 10_000, order: 'asc' });
    for (const invoice of invoices) {
      if (invoice.uploadedAt === null || invoice.uploadedAt.getTime() >= cutoff) continue;
      const text = `Uploaded ${invoice.uploadedAt.toISOString()}, more than ${settings.windowDays} days ago (engine.windowDays), and its answer was never downloaded; fetch it from SPV.`;
      transitions.push({
        invoiceId: invoice.id,
        from: status,
        to: 'needs-attention',
        patch: { lastError: text, messages: [...invoice.messages, { text, source: 'local' }] },
        cause: { instance, cause: 'outside-window' },
      });
    }
  }
  const applied = transitions.length ? await store.transition(transitions) : [];
  return applied.filter((a) => a !== null).length;
}
