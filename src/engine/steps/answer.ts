/**
 * Fetching and archiving the platform's signed answer for one invoice: the ZIP exactly as
 * received plus its extracted files, written durably before any state says "downloaded".
 */
import { EfactError } from '../../domain/errors.js';
import type { Company } from '../../domain/company.js';
import type { Invoice } from '../../domain/invoice.js';
import { readZip } from '../../zip/zip.js';
import { inspectAnswerZip } from '../../adapters/anaf/answer-zip.js';
import { anafMonth } from '../../adapters/anaf/time.js';
import type { EngineContext } from '../context.js';

export interface FetchedAnswer {
  archivePath: string;
  /** ANAF's error messages when the answer is an error document (NOK); empty for OK. */
  errors: string[];
  /** Whether the signature's digest matches the archived file (null: no digest found). */
  digestMatches: boolean | null;
}

export async function fetchAnswer(ctx: EngineContext, company: Company, invoice: Invoice, downloadId: string): Promise<FetchedAnswer> {
  const zip = await ctx.connector.download({
    context: { environment: invoice.environment, companyCif: company.cif, invoiceId: invoice.id },
    downloadId,
  });
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZip(zip);
  } catch (e) {
    // A cut-off or garbled answer is the platform's (or the network's) fault: fetch it again later.
    throw new EfactError('PLATFORM_MALFORMED_ANSWER', `answer ${downloadId} is not a readable ZIP: ${(e as Error).message}`, { cause: e });
  }
  const answer = inspectAnswerZip(entries);
  if (answer.digestMatches === false) {
    // Archive it anyway (it is what ANAF sent) but say so loudly: the signature does not cover this file.
    ctx.log.warn({ invoiceId: invoice.id, downloadId }, 'ANAF answer signature digest does not match the file');
  }
  if (!answer.errorDocument && answer.mainFile === null) {
    throw new EfactError('PLATFORM_MALFORMED_ANSWER', `answer ${downloadId} holds no invoice file (entries: ${[...entries.keys()].join(', ')})`);
  }
  const archivePath = await ctx.archive.write({
    cif: company.cif,
    month: anafMonth(invoice.uploadedAt ?? ctx.clock.now()),
    downloadId,
    zip,
    entries,
  });
  return {
    archivePath,
    errors: answer.errorDocument?.messages ?? [],
    digestMatches: answer.digestMatches,
  };
}
