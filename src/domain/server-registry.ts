/**
 * The server registry's rules (the manuals' ServerID and posturi), apart from any storage:
 * which ids a configuration allows, and the messages a person sees when a start is refused.
 */
import { EfactError } from './errors.js';

/** One row of the registry: an instance that registered, live or not. */
export interface ServerRegistration {
  serverId: number;
  /** Grows on every (re)registration of any id; a write carries it and is refused once it is stale. */
  fencingToken: number;
  host: string;
  pid: number;
  /** The instance's partition filter (FiltruSQL) as written, or null: it takes what no filter covers. */
  filter: string | null;
  startedAt: Date;
  heartbeatAt: Date;
  /** Until when the registration holds without a heartbeat. */
  leaseUntil: Date;
  /** Set by a clean stop. */
  stoppedAt: Date | null;
  /** Invoices claimed for upload and uploads the platform took, since this registration, as of its last heartbeat (or clean stop). */
  claimed: number;
  uploaded: number;
}

export interface RegisterServerInput {
  serverId: number;
  /** How many instances may run at once; an id above it is refused. */
  seats: number;
  host: string;
  pid: number;
  filter: string | null;
  leaseMs: number;
  /** Take the id over from a live instance (which stops at its next heartbeat or write). */
  takeover?: boolean;
  /** Says a live holder is certainly gone (a crashed process of this machine), so its id is free. */
  holderIsGone?: (holder: ServerRegistration) => boolean;
}

/** A registration holds while it was not stopped and its lease has not run out. */
export function isLive(r: Pick<ServerRegistration, 'stoppedAt' | 'leaseUntil'>, now: Date): boolean {
  return r.stoppedAt === null && r.leaseUntil.getTime() > now.getTime();
}

/** The manuals' own words, verbatim: scripts and people search for them. */
export function serverIdInUseMessage(serverId: number): string {
  return `Eroare la înregistrare server! A fost lansat în execuție un alt server cu același ID = ${serverId}`;
}

export function serverIdInUse(serverId: number, holder: ServerRegistration): EfactError {
  return new EfactError('SERVER_ID_IN_USE', serverIdInUseMessage(serverId), {
    details: {
      serverId,
      host: holder.host,
      pid: holder.pid,
      leaseUntil: holder.leaseUntil.toISOString(),
      hint: 'start with --takeover to replace it, or choose another serverId',
    },
  });
}

/** Refuses ids outside 1..seats before anything is written. */
export function checkSeat(serverId: number, seats: number): void {
  if (!Number.isSafeInteger(serverId) || serverId < 1) {
    throw new EfactError('INVALID_CONFIG', `serverId must be a whole number from 1, got ${serverId}`, { details: { serverId } });
  }
  if (!Number.isSafeInteger(seats) || seats < 1) {
    throw new EfactError('INVALID_CONFIG', `seats must be a whole number from 1, got ${seats}`, { details: { seats } });
  }
  if (serverId > seats) {
    throw new EfactError(
      'INVALID_CONFIG',
      `serverId ${serverId} is above the ${seats} seat${seats === 1 ? '' : 's'} configured: ` +
        `with seats = ${seats} the server ids are 1..${seats}; raise seats or choose a serverId up to ${seats}`,
      { details: { serverId, seats } },
    );
  }
}
