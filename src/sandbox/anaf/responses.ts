/**
 * Builders of ANAF's answer bodies, byte-for-byte in the shape of the reference examples:
 * XML declaration with standalone="yes", one `header` element, attributes in ANAF's order,
 * `Errors` children indented by four spaces.
 */
import { formatAnafDateTime, formatAnafMinute } from '../../adapters/anaf/time.js';
import { NS } from './texts.js';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

// NOTE: ANAF's examples mix line ends: upload answers use CRLF, most stareMesaj answers LF.
export type LineEnd = '\n' | '\r\n';

/** Attribute-value escaping; apostrophes stay as they are, as in ANAF's `'Invoice1'`. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

function errorsBlock(tag: 'Errors' | 'Error', messages: readonly string[], eol: LineEnd): string {
  return messages.map((m) => `    <${tag} errorMessage="${escapeXml(m)}"/>${eol}`).join('');
}

/** ExecutionStatus="0": the file was taken in and has an index. */
export function uploadAccepted(at: Date, index: string): string {
  return (
    `${DECLARATION}\r\n<header xmlns="${NS.uploadAnswer}" dateResponse="${formatAnafMinute(at)}" ` +
    `ExecutionStatus="0" index_incarcare="${index}"/>`
  );
}

/** ExecutionStatus="1": refused at the door, no index. */
export function uploadRefused(at: Date, messages: readonly string[]): string {
  return (
    `${DECLARATION}\r\n<header xmlns="${NS.uploadAnswer}" dateResponse="${formatAnafMinute(at)}" ExecutionStatus="1">\r\n` +
    `${errorsBlock('Errors', messages, '\r\n')}</header>`
  );
}

export function statusState(stare: string, downloadId?: string, eol: LineEnd = '\n'): string {
  const id = downloadId === undefined ? '' : ` id_descarcare="${downloadId}"`;
  return `${DECLARATION}${eol}<header xmlns="${NS.status}" stare="${escapeXml(stare)}"${id}/>`;
}

export function statusError(message: string, eol: LineEnd = '\r\n'): string {
  return `${DECLARATION}${eol}<header xmlns="${NS.status}">${eol}${errorsBlock('Errors', [message], eol)}</header>`;
}

/** The `<id>.xml` of a NOK answer ZIP. */
export function errorDocument(index: string, issuerCif: string, messages: readonly string[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<header xmlns="${NS.errorDocument}" ` +
    `Index_incarcare="${index}" Cif_emitent="${escapeXml(issuerCif)}">\n${errorsBlock('Error', messages, '\n')}</header>`
  );
}

/** Spring-style error body ANAF answers with on HTTP 400/429/500. */
export function generalError(at: Date, status: number, error: string, message: string): Record<string, unknown> {
  return { timestamp: formatAnafDateTime(at), status, error, message };
}

export const HTTP_REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};
