import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderIcs } from '../../src/letter/ics.js';
import type { Handover } from '../../src/schema/types.js';

const bytes = readFileSync(join(import.meta.dirname, 'fixtures', 'aftercare.handover.json'));
const base = (): Handover => JSON.parse(bytes.toString('utf8')) as Handover;

describe('renderIcs', () => {
  it('makes one tentative VEVENT per slot, in UTC (published: no receiving worker is named yet)', async () => {
    const ics = (await renderIcs(base(), 'sv'))!;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('VERSION:2.0');
    expect(ics).toContain('METHOD:PUBLISH');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics.match(/^STATUS:TENTATIVE\r$/gm)).toHaveLength(2);
    // 10.3.2026 9.00 Helsinki (UTC+2) and 31.3.2026 13.00 (summer time, UTC+3).
    expect(ics).toContain('DTSTART:20260310T070000Z');
    expect(ics).toContain('DTEND:20260310T080000Z');
    expect(ics).toContain('DTSTART:20260331T100000Z');
    expect(ics).toContain('UID:3f6c2a9e-8b1d-4c57-9e2a-71d4b5c8e901-1@handover');
    expect(ics).toContain('DTSTAMP:20260302T081500Z');
    expect(ics).toContain('Gemensamt möte om klientplanen');
    expect(ics).toMatch(/ORGANIZER;CN="?Sanna Esimerkki"?:mailto:sanna.esimerkki@example.org/i);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    // Folding at octets keeps every character whole: unfolded, the text reads as written.
    expect(ics.replace(/\r\n[ \t]/g, '')).toContain('Bekräfta tiden med Pirkanmaan hyvinvointialue.');
  });

  it('a REQUEST has an ORGANIZER and an ATTENDEE; without a receiving worker to invite it is published', async () => {
    const invited = base();
    invited.recipient.contact = { name: 'Vera Vastaanottaja', email: 'vera@example.org' };
    const unfolded = (await renderIcs(invited, 'fi'))!.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('METHOD:REQUEST');
    expect(unfolded).toMatch(/^ORGANIZER.*mailto:sanna.esimerkki@example.org/im);
    expect(unfolded).toMatch(/^ATTENDEE.*mailto:vera@example.org/m);
    const published = (await renderIcs(base(), 'fi'))!.replace(/\r\n[ \t]/g, '');
    expect(published).toContain('METHOD:PUBLISH');
    expect(published).not.toMatch(/^ATTENDEE/m);
  });

  it('carries nothing about the youth: no name, identity code, contact or address', async () => {
    const d = base();
    d.meeting!.location = 'Testgränd 7 A 3, Närpes';
    d.youth.nonDisclosure = true;
    const unfolded = (await renderIcs(d, 'fi'))!.replace(/\r\n[ \t]/g, '');
    for (const s of ['Aino', 'Testinen', '020506A9373', 'Testgränd', '+358 50 000 0003', 'aino.testinen']) {
      expect(unfolded).not.toContain(s);
    }
    expect(unfolded).not.toContain('LOCATION:');
  });

  it('keeps an office location, is deterministic, and is absent without a meeting', async () => {
    const a = await renderIcs(base(), 'fi');
    expect(a).toContain('LOCATION:Teams-linkki');
    expect(await renderIcs(base(), 'fi')).toBe(a);
    const d = base();
    delete d.meeting;
    expect(await renderIcs(d, 'fi')).toBeUndefined();
  });
});
