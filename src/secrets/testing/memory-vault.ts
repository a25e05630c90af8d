/** A vault in memory for route tests: the same envelopes as the SQL vault, under a random key. */
import { randomBytes } from 'node:crypto';
import type { SecretInfo, SecretVault } from '../../ports/secrets.js';
import { masterKey, open, seal } from '../envelope.js';

export class MemoryVault implements SecretVault {
  readonly key = masterKey(randomBytes(32));
  /** name → envelope; tests read it to prove that nothing is stored in clear. */
  readonly envelopes = new Map<string, { envelope: string; updatedAt: Date }>();

  async put(name: string, value: string): Promise<void> {
    this.envelopes.set(name, { envelope: seal(this.key, name, value), updatedAt: new Date() });
  }

  async get(name: string): Promise<string | null> {
    const row = this.envelopes.get(name);
    return row === undefined ? null : open(this.key, name, row.envelope);
  }

  async delete(name: string): Promise<void> {
    this.envelopes.delete(name);
  }

  async list(): Promise<SecretInfo[]> {
    return [...this.envelopes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, r]) => ({ name, keyId: this.key.id, updatedAt: r.updatedAt }));
  }

  async seal(name: string, value: string): Promise<{ envelope: string; keyId: string }> {
    return { envelope: seal(this.key, name, value), keyId: this.key.id };
  }

  open(name: string, envelope: string): string {
    return open(this.key, name, envelope);
  }
}
