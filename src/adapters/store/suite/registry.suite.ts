import { describe, expect, it } from 'vitest';
import type { RegisterServerInput } from '../../../domain/server-registry.js';
import type { ServerRegistry } from '../../../ports/server-registry.js';
import type { Store } from '../../../ports/store.js';
import { addCompany, cause, createInvoice, type StoreFactory, useStore } from './harness.js';

type RegistryStore = Store & ServerRegistry;

const LEASE = 30_000;
const IN_USE = 'Eroare la înregistrare server! A fost lansat în execuție un alt server cu același ID = 2';

function input(serverId: number, extra: Partial<RegisterServerInput> = {}): RegisterServerInput {
  return { serverId, seats: 3, host: 'host-a', pid: 100 + serverId, filter: null, leaseMs: LEASE, ...extra };
}

export function registrySuite(factory: StoreFactory, reopenable: boolean): void {
  describe('server registry', () => {
    const h = useStore(factory);
    const store = (): RegistryStore => h.store as RegistryStore;
    /** A second "instance" on the same database (another process, or another machine). */
    const other = async (): Promise<RegistryStore> => {
      const s = (await h.sut.reopen!()) as RegistryStore;
      h.extra.push(s);
      return s;
    };

    it('registers with a lease that heartbeats renew, and lists the registration', async () => {
      const reg = await store().registerServer(input(1, { filter: " branch = 'Iasi' " }));
      expect(reg).toMatchObject({ serverId: 1, host: 'host-a', pid: 101, filter: "branch = 'Iasi'", stoppedAt: null, claimed: 0, uploaded: 0 });
      expect(reg.leaseUntil.getTime() - reg.startedAt.getTime()).toBe(LEASE);
      expect(store().currentServer()).toEqual({ serverId: 1, fencingToken: reg.fencingToken, filter: "branch = 'Iasi'" });
      h.clock.advance(10_000);
      const renewed = await store().heartbeat();
      expect(renewed.heartbeatAt).toEqual(h.clock.now());
      expect(renewed.leaseUntil.getTime()).toBe(h.clock.now().getTime() + LEASE);
      expect(renewed.fencingToken).toBe(reg.fencingToken);
      expect(await store().listServers()).toEqual([renewed]);
    });

    it('refuses an id above the seats, naming both numbers', async () => {
      await expect(store().registerServer(input(4))).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        message: expect.stringMatching(/serverId 4 is above the 3 seats/),
      });
      await expect(store().registerServer(input(2, { seats: 1 }))).rejects.toThrow(/serverId 2 is above the 1 seat configured/);
      await expect(store().registerServer(input(0))).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
      expect(await store().listServers()).toEqual([]);
    });

    it('refuses a filter that does not parse, with the column of the mistake', async () => {
      await expect(store().registerServer(input(1, { filter: "branch = 'Iasi' and" }))).rejects.toThrow(/partition filter, column \d+/);
    });

    it('hands out a larger fencing token on every registration, even after rows are removed', async () => {
      const tokens: number[] = [];
      tokens.push((await store().registerServer(input(1))).fencingToken);
      await store().deregisterServer();
      tokens.push((await store().registerServer(input(1))).fencingToken);
      tokens.push((await store().registerServer(input(2))).fencingToken);
      await store().deregisterServer();
      h.clock.advance(LEASE * 10);
      expect((await store().syncServers({ seats: 3, staleAfterMs: 1000 })).length).toBe(2);
      tokens.push((await store().registerServer(input(2))).fencingToken);
      for (let i = 1; i < tokens.length; i++) expect(tokens[i]).toBeGreaterThan(tokens[i - 1]!);
    });

    it('counts the work done in the registration row at the next heartbeat', async () => {
      await store().registerServer(input(1));
      const company = await addCompany(store());
      for (let i = 0; i < 3; i++) await createInvoice(store(), company.id);
      const claimed = await store().claimForUpload(company.id, 'test', 10, h.clock.now(), cause('claim'));
      await store().transition(
        claimed.slice(0, 2).map((c) => ({ invoiceId: c.invoice.id, from: 'uploading' as const, to: 'processing' as const, patch: { uploadId: `u${c.invoice.id}` }, cause: cause('uploaded') })),
      );
      // Writes only check the row; the counters wait in memory for the heartbeat.
      expect(await store().listServers()).toMatchObject([{ serverId: 1, claimed: 0, uploaded: 0 }]);
      expect(await store().heartbeat()).toMatchObject({ claimed: 3, uploaded: 2 });
      // Counted once: a second heartbeat adds nothing.
      expect(await store().heartbeat()).toMatchObject({ claimed: 3, uploaded: 2 });
      // A transition that changed nothing (already processing) uploaded nothing.
      await store().transition([{ invoiceId: claimed[0]!.invoice.id, from: 'uploading', to: 'processing', patch: { uploadId: 'again' }, cause: cause('uploaded') }]);
      await store().transition([{ invoiceId: claimed[2]!.invoice.id, from: 'uploading', to: 'processing', patch: { uploadId: 'u3' }, cause: cause('uploaded') }]);
      // A clean stop writes what the last heartbeat did not.
      await store().deregisterServer();
      expect(await store().listServers()).toMatchObject([{ serverId: 1, claimed: 3, uploaded: 3 }]);
    });

    it('marks a clean stop; the id is free again without takeover', async () => {
      await store().registerServer(input(2));
      h.clock.advance(1000);
      await store().deregisterServer();
      expect(store().currentServer()).toBeNull();
      const [row] = await store().listServers();
      expect(row!.stoppedAt).toEqual(h.clock.now());
      const company = await addCompany(store());
      await createInvoice(store(), company.id);
      // A stopped handle writes no more as that server.
      await expect(store().claimForUpload(company.id, 'test', 10, h.clock.now(), cause())).rejects.toMatchObject({ code: 'FENCED' });
      const again = await store().registerServer(input(2));
      expect(again.fencingToken).toBeGreaterThan(row!.fencingToken);
      expect(await store().claimForUpload(company.id, 'test', 10, h.clock.now(), cause())).toHaveLength(1);
    });

    it('sync removes registrations above the seats and those expired long ago', async () => {
      await store().registerServer(input(1, { seats: 5 }));
      await store().registerServer(input(3, { seats: 5 }));
      await store().registerServer(input(5, { seats: 5 }));
      h.clock.advance(LEASE + 10 * 60_000);
      await store().registerServer(input(1, { seats: 5 }));
      const removed = await store().syncServers({ seats: 4, staleAfterMs: 5 * 60_000 });
      expect(removed.map((r) => [r.registration.serverId, r.reason])).toEqual([
        [3, 'expired'],
        [5, 'above-seats'],
      ]);
      expect((await store().listServers()).map((r) => r.serverId)).toEqual([1]);
      expect(await store().syncServers({ seats: 4, staleAfterMs: 5 * 60_000 })).toEqual([]);
    });

    it.skipIf(!reopenable)('refuses a second live instance with the same id with the manuals\' message', async () => {
      await store().registerServer(input(2));
      const b = await other();
      const refused = await b.registerServer(input(2, { host: 'host-b' })).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'SERVER_ID_IN_USE', message: IN_USE });
      expect(b.currentServer()).toBeNull();
      // The first keeps working; another id is fine.
      await store().heartbeat();
      await b.registerServer(input(3, { host: 'host-b' }));
      expect((await b.listServers()).map((r) => [r.serverId, r.host])).toEqual([
        [2, 'host-a'],
        [3, 'host-b'],
      ]);
    });

    it.skipIf(!reopenable)('lets an expired lease be taken without takeover', async () => {
      const first = await store().registerServer(input(2));
      h.clock.advance(LEASE + 1);
      const b = await other();
      const second = await b.registerServer(input(2, { host: 'host-b' }));
      expect(second.fencingToken).toBeGreaterThan(first.fencingToken);
      // The first, waking up late, finds it lost the id.
      await expect(store().heartbeat()).rejects.toMatchObject({ code: 'FENCED', message: expect.stringMatching(/taken over.*host-b/) });
    });

    it.skipIf(!reopenable)('takeover: the new instance gets a new token; the old one is refused at its next heartbeat or write', async () => {
      const company = await addCompany(store());
      const invoices = [];
      for (let i = 0; i < 4; i++) invoices.push(await createInvoice(store(), company.id));
      const old = await store().registerServer(input(2));
      const [mine] = await store().claimForUpload(company.id, 'test', 1, h.clock.now(), cause('claim'));

      const b = await other();
      const taken = await b.registerServer(input(2, { host: 'host-b', takeover: true }));
      expect(taken.fencingToken).toBeGreaterThan(old.fencingToken);

      // Every write of the old one is refused and rolled back; the message says why.
      const claim = await store().claimForUpload(company.id, 'test', 10, h.clock.now(), cause('claim')).catch((e: unknown) => e);
      expect(claim).toMatchObject({ code: 'FENCED', message: expect.stringMatching(/server 2 was taken over by another instance \(host host-b/) });
      expect((await b.getInvoice(invoices[1]!.id))?.status).toBe('queued');
      await expect(
        store().transition([{ invoiceId: mine!.invoice.id, from: 'uploading', to: 'processing', patch: { uploadId: 'x' }, cause: cause('uploaded') }]),
      ).rejects.toMatchObject({ code: 'FENCED' });
      expect((await b.getInvoice(mine!.invoice.id))?.status).toBe('uploading');
      await expect(store().finishAttempt(mine!.attempt.id, 'accepted', 'x', null, h.clock.now())).rejects.toMatchObject({ code: 'FENCED' });
      expect((await b.listAttempts(mine!.invoice.id))[0]!.outcome).toBe('claimed');
      await expect(store().heartbeat()).rejects.toMatchObject({ code: 'FENCED' });
      expect(store().currentServer()).toBeNull();

      // The new owner works, and the registry shows it.
      expect(await b.claimForUpload(company.id, 'test', 10, h.clock.now(), cause('claim'))).toHaveLength(3);
      await b.heartbeat();
      expect(await b.listServers()).toMatchObject([{ serverId: 2, host: 'host-b', fencingToken: taken.fencingToken, claimed: 3 }]);
      // Deregistering the fenced handle touches nothing of the new owner's row.
      await store().deregisterServer();
      expect((await b.listServers())[0]!.stoppedAt).toBeNull();
    });

    it.skipIf(!reopenable)('a live instance removed by sync (seats reduced) is refused at its next heartbeat', async () => {
      await store().registerServer(input(3));
      const b = await other();
      await b.syncServers({ seats: 2, staleAfterMs: 60_000 });
      await expect(store().heartbeat()).rejects.toMatchObject({ code: 'FENCED', message: expect.stringMatching(/registration was removed/) });
    });
  });
}
