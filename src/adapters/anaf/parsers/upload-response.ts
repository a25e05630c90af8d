/**
 * `upload` / `uploadb2c` answers:
 *   200 `<header xmlns="mfp:anaf:dgti:spv:respUploadFisier:v1" dateResponse ExecutionStatus="0" index_incarcare/>`
 *   200 `ExecutionStatus="1"` with `<Errors errorMessage/>` children (a refusal inside a success)
 *   400 `{timestamp,status,error,message}`.
 */
import type { UploadReceipt } from '../../../ports/platform.js';
import { anafTextError } from '../classify.js';
import { parseAnafMinute } from '../time.js';
import { ATTR_DATE_RESPONSE, ATTR_EXECUTION_STATUS, ATTR_UPLOAD_INDEX, EXECUTION_STATUS_OK } from '../vocabulary.js';
import { attr, malformed, originOf, type AnafAnswer, type ParseContext } from './answer.js';
import { readHeaderAnswer } from './header-answer.js';

const EXPECTED = 'upload answer XML';

export function parseUploadResponse(answer: AnafAnswer, ctx: ParseContext): UploadReceipt {
  const { root, errors } = readHeaderAnswer(answer, ctx, EXPECTED);
  const status = attr(root, ATTR_EXECUTION_STATUS)?.trim() ?? null;
  const index = attr(root, ATTR_UPLOAD_INDEX)?.trim() ?? '';
  if (errors.length > 0 || (status !== null && status !== EXECUTION_STATUS_OK)) {
    if (errors.length === 0) throw malformed(answer, ctx, `${EXPECTED} with <Errors> for ExecutionStatus=${status}`);
    throw anafTextError(errors, originOf(answer, ctx), {
      details: { executionStatus: status, ...(index !== '' ? { uploadId: index } : {}) },
    });
  }
  // NOTE: a 200 we cannot read may still be an accepted upload; the client marks it uncertain.
  if (index === '') throw malformed(answer, ctx, `${EXPECTED} with ${ATTR_UPLOAD_INDEX}`);
  return { uploadId: index, respondedAt: parseAnafMinute(attr(root, ATTR_DATE_RESPONSE)) };
}
