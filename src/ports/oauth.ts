import type { CallContext } from './platform.js';

/** Gives the ANAF client the bearer token for a call (from the company's OAuth profile, or an override). */
export interface AccessTokenProvider {
  accessToken(context: CallContext): Promise<string>;
}

/** What people see of an OAuth profile: dates and masked values, never a token. */
export interface OAuthProfileStatus {
  name: string;
  /** Masked. */
  clientId: string;
  redirectUri: string;
  hasClientSecret: boolean;
  hasTokens: boolean;
  accessExpiresAt: Date | null;
  accessDaysLeft: number | null;
  refreshExpiresAt: Date | null;
  refreshDaysLeft: number | null;
  obtainedAt: Date | null;
  refreshedAt: Date | null;
  /** 'ok' | 'warning' (expiry within the warning window) | 'expired' | 'login-needed'. */
  state: 'ok' | 'warning' | 'expired' | 'login-needed';
  /** A sentence for people when state is not ok. */
  message: string | null;
  lastError: string | null;
  /** CIFs of the companies using the profile. */
  companies: string[];
}
