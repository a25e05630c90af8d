/** The built-in ANAF RO e-Factura sandbox: start it, point a client at `url`, inspect what happened. */
export {
  startAnafSandbox,
  type AnafSandbox,
  type AnafSandboxOptions,
  type IncomingInvoice,
  type IncomingInvoiceOptions,
  type SandboxInspector,
} from './server.js';
export { buildSampleInvoice, sampleInvoiceTotals, DEFAULT_SAMPLE_LINES } from './sample-invoice.js';
export type { SampleInvoiceLine, SampleInvoiceOptions, SampleInvoiceTotals } from './sample-invoice.js';
export { defaultDecide, schematronMessage, sectionMessage, supplierCuiMessage } from './decision.js';
export type { DecideFn, DecisionContext, SandboxDecision } from './decision.js';
export type { FaultConfig, FaultRates, UploadHangOptions } from './faults.js';
export { DEFAULT_QUOTAS, type QuotaLimits } from './quotas.js';
export type { SandboxCounters, SandboxEndpoint, UploadCount } from './counters.js';
export type { TokenRights } from './tokens.js';
export type { SignatureVerdict } from './signature.js';
export type { MessageRecord, UploadRecord } from './state.js';
