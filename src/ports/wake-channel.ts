/**
 * Wake-ups across instances. On PostgreSQL an accepted invoice or a resumed company is announced
 * with NOTIFY (sent at the commit of the transaction that made the work), and every instance
 * LISTENs on a connection of its own; on SQLite there is one instance, which wakes in-process.
 */
export interface WakeChannel {
  /** Announces new work for a company to every instance sharing the store (a no-op on SQLite). */
  notifyWake(companyId: number): Promise<void>;
  /**
   * Calls `listener` with the company id of every announcement, from any instance (this one
   * too); with null after the channel was re-established, as announcements may have been missed
   * meanwhile. Resolves once listening; the result stops it.
   */
  listenWakes(listener: (companyId: number | null) => void): Promise<() => Promise<void>>;
}
