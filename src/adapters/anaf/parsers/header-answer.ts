/**
 * `upload` and `stareMesaj` both answer with one XML `<header>` (its attributes and any
 * `<Errors>` children) on 200, and Spring's JSON on 400. Reading up to that header is shared;
 * what its attributes mean is each endpoint's own.
 */
import type { XmlElement } from '../../../xml/parse.js';
import { sniff } from '../text.js';
import { XML_HEADER } from '../vocabulary.js';
import {
  checkTransport,
  errorMessages,
  jsonAnswerError,
  malformed,
  parseAnswerXml,
  type AnafAnswer,
  type ParseContext,
} from './answer.js';

export interface HeaderAnswer {
  root: XmlElement;
  /** `errorMessage` of every `<Errors>` child, verbatim; empty when none. */
  errors: string[];
}

/** The `<header>` root of an answer, or the error its transport, JSON or shape stands for. */
export function readHeaderAnswer(answer: AnafAnswer, ctx: ParseContext, expected: string): HeaderAnswer {
  checkTransport(answer, ctx);
  const shape = sniff(answer.body, answer.contentType);
  if (shape === 'json' || answer.status === 400) throw jsonAnswerError(answer, ctx, 'PLATFORM_BAD_REQUEST', expected);
  if (shape !== 'xml') throw malformed(answer, ctx, expected);

  const root = parseAnswerXml(answer, ctx);
  if (root.name !== XML_HEADER) throw malformed(answer, ctx, expected);
  return { root, errors: errorMessages(root) };
}
