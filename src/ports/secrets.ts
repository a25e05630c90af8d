/**
 * The secrets port: where OAuth client secrets, tokens, partner keys and certificate passwords
 * go. Implementations keep them encrypted at rest (ARCHITECTURE rule 4) and never log them.
 */
export interface SecretInfo {
  name: string;
  /** Fingerprint of the master key the value is encrypted under (never the key). */
  keyId: string;
  updatedAt: Date;
}

export interface SecretVault {
  /** Encrypts and stores `value` under `name` (replacing any previous value). */
  put(name: string, value: string): Promise<void>;
  /** The clear value, or null when there is none; a tampered or foreign envelope throws. */
  get(name: string): Promise<string | null>;
  delete(name: string): Promise<void>;
  /** Names and key ids, never values. */
  list(): Promise<SecretInfo[]>;
  /**
   * An envelope for a value kept in another table's column (tokens in oauth_profiles): sealed
   * under the active key, bound to `name` so it cannot be moved to another column or row.
   */
  seal(name: string, value: string): Promise<{ envelope: string; keyId: string }>;
  open(name: string, envelope: string): string;
}
