/**
 * `api/validate/signature` answers:
 *   200 `{msg}`: "Fișierele încărcate au fost validate cu succes ..." or "... NU au putut fi validate ..."
 *   400 `{msg}`: "Eroare tehnică: request incorect. ..." (a file missing or not an e-invoice XML).
 */
import type { SignatureAnswer } from '../../../ports/platform.js';
import { anafError, anafTextError } from '../classify.js';
import { fold, sniff } from '../text.js';
import { JSON_SIGNATURE_MESSAGE, TEXT_SIGNATURE_INVALID, TEXT_SIGNATURE_VALID } from '../vocabulary.js';
import { checkTransport, jsonErrorTexts, malformed, originOf, parseJson, type AnafAnswer, type ParseContext } from './answer.js';

const EXPECTED = 'signature check JSON';

export function parseSignatureResponse(answer: AnafAnswer, ctx: ParseContext): SignatureAnswer {
  checkTransport(answer, ctx);
  if (sniff(answer.body, answer.contentType) !== 'json') throw malformed(answer, ctx, EXPECTED);
  if (answer.status === 400) {
    // The files given were wrong: Efact's caller must fix its input.
    const texts = jsonErrorTexts(answer.body);
    if (texts.length === 0) throw malformed(answer, ctx, EXPECTED);
    throw anafError('INVALID_REQUEST', 'bad-parameter', originOf(answer, ctx), { platformMessage: texts.join('\n') });
  }
  const parsed = parseJson(answer.body);
  const msg = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[JSON_SIGNATURE_MESSAGE] : undefined;
  if (typeof msg !== 'string' || msg.trim() === '') {
    const texts = jsonErrorTexts(answer.body);
    if (texts.length > 0) throw anafTextError(texts, originOf(answer, ctx));
    throw malformed(answer, ctx, EXPECTED);
  }
  // NOTE: the texts carry diacritics ("Fișierele încărcate"); compare folded. Both phrases are
  // checked so a reworded negative ("NU au putut ...") never reads as valid.
  const t = fold(msg);
  const valid = t.includes(fold(TEXT_SIGNATURE_VALID)) && !t.includes(fold(TEXT_SIGNATURE_INVALID));
  return { valid, message: msg };
}
