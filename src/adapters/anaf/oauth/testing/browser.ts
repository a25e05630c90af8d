/** A stand-in for the person's browser in tests: opens the authorize URL (optionally with a client certificate) and returns where ANAF redirects. */
import { oauthHttp } from '../https.js';

export async function openAuthorizeUrl(url: string, tls: { ca: string; cert?: { cert: string; key: string } | null }): Promise<URL> {
  const res = await oauthHttp({ method: 'GET', url, ca: tls.ca, ...(tls.cert ?? {}) });
  if (res.status !== 302 || typeof res.headers.location !== 'string') throw new Error(`authorize answered HTTP ${res.status}: ${res.body}`);
  return new URL(res.headers.location);
}

export function queryOf(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}
