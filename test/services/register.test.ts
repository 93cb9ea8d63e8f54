import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HandoverError } from '../../src/core/errors.js';
import { registerSent } from '../../src/register/sent.js';
import { SqliteRegister } from '../../src/register/sqlite.js';
import type { Handover } from '../../src/schema/types.js';
import { defuseCell, pendingRegister, renderPending, renderRegister } from '../../src/services/register.js';
import { tempDir } from '../helpers/cli.js';

const doc = (id: string, over: Partial<Handover> = {}): Handover =>
  ({
    schemaVersion: '1.0',
    id,
    type: 'aftercare',
    createdAt: '2026-03-02T10:00:00+02:00',
    language: 'fi',
    sender: { organization: { name: 'Lähettäjä', businessId: '0166906-4' } },
    recipient: { organization: { name: '=HYPERLINK("http://x")', businessId: '2082259-7' } },
    youth: { name: { given: 'Testi', family: 'Nuori' }, birthDate: '2006-05-02', newMunicipalityCode: '091' },
    consent: { basis: 'consent', recordedBy: 'T', scope: ['identity'] },
    services: [],
    ...over,
  }) as Handover;

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

async function withHome<T>(fn: (home: string) => T | Promise<T>): Promise<T> {
  const saved = process.env.HANDOVER_HOME;
  const home = tempDir();
  process.env.HANDOVER_HOME = home;
  try {
    return await fn(home);
  } finally {
    if (saved === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved;
  }
}

describe('registerSent', () => {
  it('records a sent handover, is idempotent, and refuses other content under the same id', () =>
    withHome(async (home) => {
      await registerSent(doc(A), 'a'.repeat(64), '20260302-11111111.handover.json');
      await registerSent(doc(A), 'a'.repeat(64), '20260302-11111111.handover.json');
      try {
        await registerSent(doc(A), 'b'.repeat(64), '20260302-11111111.handover.json');
        expect.unreachable();
      } catch (e) {
        expect((e as HandoverError).code).toBe('ID_CONFLICT');
        expect((e as HandoverError).exit).toBe(1);
      }
      const reg = SqliteRegister.open(join(home, 'register.sqlite'));
      try {
        const rows = await reg.list();
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ id: A, direction: 'sent', status: 'sent', sha256: 'a'.repeat(64) });
      } finally {
        await reg.close();
      }
    }));

  it('links a correction to the handover it supersedes', () =>
    withHome(async (home) => {
      await registerSent(doc(A), 'a'.repeat(64), 'a.json');
      await registerSent(doc(B, { supersedes: A }), 'b'.repeat(64), 'b.json');
      const reg = SqliteRegister.open(join(home, 'register.sqlite'));
      try {
        expect(await reg.getHandover(A, 'sent')).toMatchObject({ status: 'superseded', supersededBy: B });
        expect(await reg.getHandover(B, 'sent')).toMatchObject({ status: 'sent', supersedes: A });
      } finally {
        await reg.close();
      }
    }));
});

describe('pendingRegister', () => {
  it('lists every sent handover without a receipt; --older-than only those sent before the cut-off; a bad duration exits 2', () =>
    withHome(async () => {
      await registerSent(doc(A), 'a'.repeat(64), 'a.json', { now: new Date('2026-01-01T00:00:00Z') });
      await registerSent(doc(B), 'b'.repeat(64), 'b.json', { now: new Date('2026-01-20T00:00:00Z') });
      const now = new Date('2026-01-21T00:00:00Z');
      expect((await pendingRegister({ now })).entries.map((e) => e.id)).toEqual([A, B]);
      expect((await pendingRegister({ olderThan: '14d', now })).entries.map((e) => e.id)).toEqual([A]);
      expect((await pendingRegister({ olderThan: '3w', now })).entries).toEqual([]);
      try {
        await pendingRegister({ olderThan: 'soon', now });
        expect.unreachable();
      } catch (e) {
        expect((e as HandoverError).code).toBe('DURATION_INVALID');
        expect((e as HandoverError).exit).toBe(2);
      }
    }));
});

describe('pendingRegister by replyBy (SPEC §3)', () => {
  it('lists a handover sent a minute ago with the days left, and --overdue only those past replyBy', () =>
    withHome(async () => {
      const C = '33333333-3333-4333-8333-333333333333';
      const sentAt = { now: new Date('2026-01-20T08:00:00Z') };
      await registerSent(
        doc(A, { schemaVersion: '1.1', replyBy: '2026-01-20' }),
        'a'.repeat(64),
        'a.json',
        sentAt,
      );
      await registerSent(
        doc(B, { schemaVersion: '1.1', replyBy: '2026-01-30' }),
        'b'.repeat(64),
        'b.json',
        sentAt,
      );
      await registerSent(doc(C), 'c'.repeat(64), 'c.json', sentAt);
      const now = new Date('2026-01-21T10:00:00Z');
      const all = (await pendingRegister({ now })).entries;
      expect(all.map((e) => [e.id, e.replyBy, e.daysLeft])).toEqual([
        [A, '2026-01-20', -1],
        [B, '2026-01-30', 9],
        [C, undefined, undefined],
      ]);
      expect((await pendingRegister({ overdue: true, now })).entries.map((e) => e.id)).toEqual([A]);
      // On the replyBy day itself it is not yet overdue (Helsinki date: 20.1 23:00).
      const onTheDay = await pendingRegister({ overdue: true, now: new Date('2026-01-20T21:00:00Z') });
      expect(onTheDay.entries).toEqual([]);
      expect(onTheDay.today).toBe('2026-01-20');
    }));

  it('prints the reply-by date and the days in words, with the type named, in every format', () =>
    withHome(async () => {
      await registerSent(doc(A, { schemaVersion: '1.1', replyBy: '2026-01-20' }), 'a'.repeat(64), 'a.json', {
        now: new Date('2026-01-10T08:00:00Z'),
      });
      await registerSent(doc(B, { schemaVersion: '1.1', replyBy: '2026-01-22' }), 'b'.repeat(64), 'b.json', {
        now: new Date('2026-01-10T08:00:00Z'),
      });
      const { entries } = await pendingRegister({ now: new Date('2026-01-21T10:00:00Z') });
      const table = renderPending(entries, 'table', 'sv');
      expect(table).toContain('Svar senast');
      expect(table).toContain('försenad 1 dag');
      expect(table).toContain('1 dag kvar');
      expect(table).not.toContain('aftercare');
      const csv = renderPending(entries, 'csv', 'fi');
      expect(csv).toContain('myöhässä 1 päivän');
      expect(csv).not.toContain('aftercare');
      expect(renderPending(entries, 'table', 'en')).toContain('overdue by 1 day');
    }));
});

describe('renderRegister', () => {
  it('defuses every cell a spreadsheet would run as a formula', () => {
    for (const c of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(defuseCell(c)).toBe(`'${c}`);
    for (const c of ['Helsinki', '2026-01-01', '0166906-4', '']) expect(defuseCell(c)).toBe(c);
  });

  it('writes CSV with localized headers and a defused organisation name', async () =>
    withHome(async () => {
      await registerSent(doc(A), 'a'.repeat(64), 'a.json', { now: new Date('2026-01-01T00:00:00Z') });
      const reg = SqliteRegister.open();
      const entries = await reg.list();
      await reg.close();
      const csv = await renderRegister(entries, 'csv', 'fi');
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'Tunnus,Suunta,Tila,Tyyppi,Lähetetty tai vastaanotettu,Toinen osapuoli,Y-tunnus,Hylkäyksen syyt,Korvaa',
      );
      expect(lines[1]).toBe(
        `${A},lähtevä,lähetetty,jälkihuolto,2026-01-01T00:00:00.000Z,"'=HYPERLINK(""http://x"")",2082259-7,,`,
      );
      const table = await renderRegister(entries, 'table', 'sv');
      expect(table).toMatch(/^Id\s+Riktning\s+Status/);
      expect(table).toContain('11111111  utgående  skickad');
      expect(await renderRegister([], 'table', 'en')).toBe('The register has no matching handovers.\n');
    }));
});
