/**
 * Bearer tokens and the SPV rights behind them. Like ANAF's JWT, a token says nothing about
 * its CIFs; the platform looks the rights up. By default any non-empty token may act for
 * every CIF; given a map, only its tokens are accepted, each for its CIFs.
 */
export type Rights = '*' | ReadonlySet<string>;

/** Token → CIFs (digits) it has SPV rights for, or '*' for all. */
export type TokenRights = Record<string, readonly string[] | '*'>;

export class TokenBook {
  private readonly tokens: Map<string, Rights> | null;
  /** Expiry (epoch ms, sandbox clock) of tokens issued with one. */
  private readonly expiries = new Map<string, number>();

  constructor(tokens?: TokenRights) {
    this.tokens =
      tokens === undefined
        ? null
        : new Map(Object.entries(tokens).map(([t, r]) => [t, r === '*' ? '*' : new Set(r)] as const));
  }

  /** Rights of the bearer in an Authorization header; null when the caller is not authenticated. */
  rightsOf(authorization: string | undefined, nowMs?: number): Rights | null {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return null;
    if (this.tokens === null) return '*';
    const expires = this.expiries.get(m[1]!);
    if (expires !== undefined && nowMs !== undefined && nowMs >= expires) return null;
    return this.tokens.get(m[1]!) ?? null;
  }

  /** Registers a token (the sandbox's OAuth issues them); a no-op when every token is accepted. */
  add(token: string, rights: readonly string[] | '*', expiresAtMs?: number): void {
    if (this.tokens === null) return;
    this.tokens.set(token, rights === '*' ? '*' : new Set(rights));
    if (expiresAtMs !== undefined) this.expiries.set(token, expiresAtMs);
  }

  revoke(token: string): void {
    this.tokens?.delete(token);
    this.expiries.delete(token);
  }
}

export function mayActFor(rights: Rights, cif: string): boolean {
  return rights === '*' || rights.has(cif);
}

export function hasAnyRights(rights: Rights): boolean {
  return rights === '*' || rights.size > 0;
}
