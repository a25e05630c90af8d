/**
 * `stareMesaj` answers:
 *   200 `<header xmlns="mfp:anaf:dgti:efactura:stareMesajFactura:v1" stare="ok|nok" id_descarcare/>`
 *   200 `stare="in prelucrare"` / `stare="XML cu erori nepreluat de sistem"`
 *   200 `<Errors errorMessage/>` (unknown index, no rights, daily limit)
 *   400 `{timestamp,status,error,message}`.
 */
import type { UploadState } from '../../../ports/platform.js';
import { anafTextError } from '../classify.js';
import { fold } from '../text.js';
import { ATTR_DOWNLOAD_ID, ATTR_STATE, STATE_NOK, STATE_OK, STATE_PROCESSING, STATE_REJECTED } from '../vocabulary.js';
import { attr, malformed, originOf, type AnafAnswer, type ParseContext } from './answer.js';
import { readHeaderAnswer } from './header-answer.js';

const EXPECTED = 'status answer XML';

export function parseStatusResponse(answer: AnafAnswer, ctx: ParseContext): UploadState {
  const { root, errors } = readHeaderAnswer(answer, ctx, EXPECTED);
  if (errors.length > 0) throw anafTextError(errors, originOf(answer, ctx));

  const stare = attr(root, ATTR_STATE);
  if (stare === null) throw malformed(answer, ctx, `${EXPECTED} with ${ATTR_STATE}`);
  // NOTE: states are compared folded: "In prelucrare" (capitalised) and stray spaces are reported.
  const state = fold(stare);
  if (state === fold(STATE_PROCESSING)) return { state: 'processing' };
  if (state === fold(STATE_REJECTED)) return { state: 'rejected', message: stare };
  if (state === STATE_OK || state === STATE_NOK) {
    const downloadId = attr(root, ATTR_DOWNLOAD_ID)?.trim() ?? '';
    if (downloadId === '') throw malformed(answer, ctx, `${EXPECTED} with ${ATTR_DOWNLOAD_ID} for stare=${stare}`);
    return { state: state === STATE_OK ? 'ok' : 'nok', downloadId };
  }
  throw malformed(answer, ctx, `${EXPECTED} with a known stare (got ${JSON.stringify(stare)})`);
}
