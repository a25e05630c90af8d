/**
 * pino redaction: fields that carry secrets are censored wherever they appear one or two levels
 * deep, so a secret logged by mistake under a known name never reaches a log file.
 */
export const SECRET_FIELDS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'certificatePassword',
  'masterKey',
  'authorization',
  'Authorization',
  'envelope',
  'partnerKey',
] as const;

export const REDACT_PATHS: string[] = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'req.query.code',
];

export const REDACT_CENSOR = '[secret]';

/** pino's `redact` option. */
export const pinoRedaction = { paths: REDACT_PATHS, censor: REDACT_CENSOR };
