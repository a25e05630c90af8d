/**
 * Typed errors shared by the API, the CLI, the engine and the connectors.
 *
 * Every error has a stable `code` (EFACT_ERR_*), a `kind` that tells the engine what to
 * do next, and, when it came from a platform, the platform's own message untouched.
 */

/** What the caller should do about an error. */
export type ErrorKind =
  /** Transient: network, 5xx, firewall page, timeouts. Try again later. */
  | 'retryable'
  /** The platform refused for good (no rights, unknown id, invoice rejected). */
  | 'permanent'
  /** A published call limit was reached; wait until the platform's day (or minute) rolls over. */
  | 'quota'
  /** Credentials missing, expired or refused. A person must act. */
  | 'auth'
  /** The input given to Efact is wrong (malformed XML, unknown company, bad config). */
  | 'invalid-input';

export const ErrorCodes = {
  INVALID_XML: { kind: 'invalid-input', http: 400 },
  XML_DTD_FORBIDDEN: { kind: 'invalid-input', http: 400 },
  TOO_LARGE: { kind: 'invalid-input', http: 413 },
  NOT_AN_INVOICE: { kind: 'invalid-input', http: 422 },
  WRONG_SUPPLIER: { kind: 'invalid-input', http: 422 },
  UNKNOWN_COMPANY: { kind: 'invalid-input', http: 404 },
  NOT_FOUND: { kind: 'invalid-input', http: 404 },
  INVALID_REQUEST: { kind: 'invalid-input', http: 400 },
  INVALID_CONFIG: { kind: 'invalid-input', http: 400 },
  INVALID_ZIP: { kind: 'invalid-input', http: 422 },
  CONFLICT: { kind: 'invalid-input', http: 409 },
  /** An earlier file of the same invoice is at ANAF without an answer yet: try again after it. */
  AWAITING_VERDICT: { kind: 'retryable', http: 409 },
  WRONG_ENVIRONMENT: { kind: 'invalid-input', http: 409 },
  PLATFORM_UNAVAILABLE: { kind: 'retryable', http: 502 },
  PLATFORM_TIMEOUT: { kind: 'retryable', http: 504 },
  PLATFORM_FIREWALL: { kind: 'retryable', http: 502 },
  PLATFORM_MALFORMED_ANSWER: { kind: 'retryable', http: 502 },
  PLATFORM_REFUSED: { kind: 'permanent', http: 422 },
  PLATFORM_BAD_REQUEST: { kind: 'permanent', http: 422 },
  PLATFORM_QUOTA: { kind: 'quota', http: 429 },
  PLATFORM_AUTH: { kind: 'auth', http: 401 },
  /** Another live instance holds this serverId (the manuals' "Eroare la înregistrare server!"). */
  SERVER_ID_IN_USE: { kind: 'invalid-input', http: 409 },
  /** This instance's registration was taken over or removed: it must stop writing. */
  FENCED: { kind: 'permanent', http: 409 },
  /** Waited too long for a lock another instance holds (e.g. the migration lock). */
  LOCK_TIMEOUT: { kind: 'retryable', http: 503 },
  UNAUTHORIZED: { kind: 'auth', http: 401 },
  FORBIDDEN: { kind: 'auth', http: 403 },
  TOO_MANY_REQUESTS: { kind: 'quota', http: 429 },
  IDEMPOTENCY_MISMATCH: { kind: 'invalid-input', http: 422 },
  INTERNAL: { kind: 'permanent', http: 500 },
} as const satisfies Record<string, { kind: ErrorKind; http: number }>;

export type ErrorCode = keyof typeof ErrorCodes;

export interface EfactErrorOptions {
  /** The platform's own message, verbatim (Romanian for ANAF). */
  platformMessage?: string;
  /** HTTP status the platform answered with, when there was one. */
  httpStatus?: number;
  /** Which platform endpoint answered (upload, stareMesaj, ...). */
  endpoint?: string;
  /** For quota errors: when the limit resets (start of the platform's next day or minute). */
  retryAt?: Date;
  /** Extra facts useful to a person (file name, key, allowed range). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class EfactError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly platformMessage?: string;
  readonly httpStatus?: number;
  readonly endpoint?: string;
  readonly retryAt?: Date;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: EfactErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EfactError';
    this.code = code;
    this.kind = ErrorCodes[code].kind;
    if (options.platformMessage !== undefined) this.platformMessage = options.platformMessage;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options.endpoint !== undefined) this.endpoint = options.endpoint;
    if (options.retryAt !== undefined) this.retryAt = options.retryAt;
    if (options.details !== undefined) this.details = options.details;
  }

  /** Stable public code, as shown by the API and the CLI. */
  get publicCode(): string {
    return `EFACT_ERR_${this.code}`;
  }

  get httpCode(): number {
    return ErrorCodes[this.code].http;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.publicCode,
      kind: this.kind,
      message: this.message,
      ...(this.platformMessage !== undefined ? { platformMessage: this.platformMessage } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

export function isEfactError(e: unknown): e is EfactError {
  return e instanceof EfactError;
}

/** Wraps anything thrown into an EfactError, keeping EfactErrors as they are. */
export function asEfactError(e: unknown): EfactError {
  if (e instanceof EfactError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new EfactError('INTERNAL', message, { cause: e });
}
