/**
 * One small HTTP(S) exchange for the OAuth host. Not `fetch`: the token endpoint may need an
 * extra trusted CA (the sandbox's own), and the sandbox's authorize step a client certificate,
 * which node:https takes directly. Answers are bounded and never followed when redirecting.
 */
import http from 'node:http';
import https from 'node:https';
import { EfactError } from '../../../domain/errors.js';

export interface OAuthHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Extra CA certificates to trust (PEM). */
  ca?: string | string[];
  /** Client certificate and key (PEM) presented in the TLS handshake. */
  cert?: string;
  key?: string;
  timeoutMs?: number;
}

export interface OAuthHttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const MAX_ANSWER_BYTES = 256 * 1024;

export function oauthHttp(req: OAuthHttpRequest): Promise<OAuthHttpAnswer> {
  const url = new URL(req.url);
  const secure = url.protocol === 'https:';
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const options: https.RequestOptions = {
    method: req.method,
    headers,
    timeout: req.timeoutMs ?? 30_000,
    ...(secure && req.ca !== undefined ? { ca: req.ca } : {}),
    ...(secure && req.cert !== undefined ? { cert: req.cert } : {}),
    ...(secure && req.key !== undefined ? { key: req.key } : {}),
    agent: false,
  };
  return new Promise((resolve, reject) => {
    const done = (e: unknown): void =>
      reject(
        e instanceof EfactError
          ? e
          : new EfactError('PLATFORM_UNAVAILABLE', `ANAF OAuth host ${url.origin} did not answer: ${(e as Error)?.message ?? e}`, { cause: e }),
      );
    const request = (secure ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (c: Buffer) => {
        total += c.length;
        if (total > MAX_ANSWER_BYTES) {
          request.destroy(new EfactError('PLATFORM_MALFORMED_ANSWER', `the OAuth answer exceeds ${MAX_ANSWER_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', done);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', done);
    request.end(body);
  });
}
