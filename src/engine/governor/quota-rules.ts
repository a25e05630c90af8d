/** Which daily scope of ANAF's published limits a call counts against, and how big that scope is. */
import type { GovernedCall } from '../../ports/rate-governor.js';
import type { CallLimits } from '../../adapters/anaf/limits.js';

export interface DailyScope {
  /** Unique key of the counter, e.g. "prod:status:5001120362". */
  key: string;
  /** Human label for status displays. */
  label: string;
  limit: number;
}

/** The daily scope a call counts against, or null when ANAF sets no daily limit for it. */
export function dailyScopeOf(call: GovernedCall, limits: CallLimits): DailyScope | null {
  const env = call.context.environment;
  const cif = call.context.companyCif;
  const apply = (n: number): number => Math.max(1, Math.floor(n * limits.headroom));
  switch (call.endpoint) {
    case 'stareMesaj':
      return call.messageId === undefined
        ? null
        : { key: `${env}:status:${call.messageId}`, label: `stareMesaj for upload ${call.messageId}`, limit: apply(limits.statusPerMessagePerDay) };
    case 'descarcare':
      return call.messageId === undefined
        ? null
        : { key: `${env}:download:${call.messageId}`, label: `descarcare of message ${call.messageId}`, limit: apply(limits.downloadsPerMessagePerDay) };
    case 'listaMesajeFactura':
      return { key: `${env}:list:${cif}`, label: `simple message list for CUI ${cif}`, limit: apply(limits.simpleListPerCuiPerDay) };
    case 'listaMesajePaginatieFactura':
      return { key: `${env}:paged-list:${cif}`, label: `paginated message list for CUI ${cif}`, limit: apply(limits.pagedListPerCuiPerDay) };
    case 'upload':
    case 'uploadb2c':
      return call.standard === 'RASP'
        ? { key: `${env}:rasp:${cif}`, label: `RASP uploads for CUI ${cif}`, limit: apply(limits.raspUploadsPerCuiPerDay) }
        : null;
    default:
      return null;
  }
}
