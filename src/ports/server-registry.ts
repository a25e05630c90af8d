import type { RegisterServerInput, ServerRegistration } from '../domain/server-registry.js';

export type { RegisterServerInput, ServerRegistration } from '../domain/server-registry.js';

/** A registration removed by `sync`, and why. */
export interface RemovedRegistration {
  registration: ServerRegistration;
  reason: 'above-seats' | 'expired';
}

/**
 * The server registry (the manuals' ServerID / posturi): which instances run, with a lease kept
 * by heartbeats and a fencing token. A store handle that registered acts as that server: its
 * claims, transitions and attempt records check the token in the same transaction and are
 * refused (EfactError FENCED) once another instance took the id over or the row was removed.
 */
export interface ServerRegistry {
  /**
   * Registers this handle as `serverId`. Refused (SERVER_ID_IN_USE, the manuals' message) while
   * another registration of the id is live, unless `takeover`; an id above `seats` is refused
   * (INVALID_CONFIG). An expired or stopped registration is simply replaced.
   */
  registerServer(input: RegisterServerInput): Promise<ServerRegistration>;
  /** Renews the lease. Throws FENCED (and fences the handle) when the registration is no longer ours. */
  heartbeat(): Promise<ServerRegistration>;
  /** Marks the registration stopped (clean stop); the handle writes no more as this server. */
  deregisterServer(): Promise<void>;
  /** Every registration row, by id. */
  listServers(): Promise<ServerRegistration[]>;
  /**
   * Re-aligns the registry after seats were reduced: removes registrations whose id is above
   * `seats` (a live one is fenced by this) and those whose lease ran out over `staleAfterMs` ago.
   */
  syncServers(options: { seats: number; staleAfterMs: number }): Promise<RemovedRegistration[]>;
  /** The registration this handle holds (null when it never registered or stopped). */
  currentServer(): { serverId: number; fencingToken: number; filter: string | null } | null;
}
