/**
 * `descarcare` answers:
 *   200 the answer ZIP (`<id>.xml` + `semnatura_<id>.xml`), returned byte for byte
 *   200 `{eroare, titlu}` instead of a ZIP (bad id, no rights, unknown id, daily limit, 60 days passed)
 *   400 `{timestamp,status,error,message}`.
 * NOTE: the body is sniffed, never decoded first: a ZIP starts with "PK"; ANAF's content type
 * does not tell errors from ZIPs, and one of its examples is JSON with a stray `}`.
 */
import { jsonErrorTexts, jsonAnswerError, malformed, checkTransport, originOf, type AnafAnswer, type ParseContext } from './answer.js';
import { anafTextError } from '../classify.js';
import { sniff } from '../text.js';

const EXPECTED = 'answer ZIP';

export function parseDownloadResponse(answer: AnafAnswer, ctx: ParseContext): Uint8Array {
  checkTransport(answer, ctx);
  const shape = sniff(answer.body, answer.contentType);
  if (shape === 'zip' && answer.status !== 400) {
    // A ZIP too short to hold even its end record is a truncated answer.
    if (answer.body.byteLength < 22) throw malformed(answer, ctx, EXPECTED);
    return answer.body;
  }
  if (shape === 'json' || shape === 'text') {
    const texts = jsonErrorTexts(answer.body);
    if (texts.length > 0) {
      throw anafTextError(texts, originOf(answer, ctx), {
        unrecognised: answer.status === 400 ? 'PLATFORM_BAD_REQUEST' : 'PLATFORM_REFUSED',
      });
    }
  }
  if (answer.status === 400) throw jsonAnswerError(answer, ctx, 'PLATFORM_BAD_REQUEST', EXPECTED);
  throw malformed(answer, ctx, EXPECTED);
}
