/**
 * The meeting invitation (.ics, RFC 5545): one tentative VEVENT per proposed slot. An .ics
 * travels through e-mail and calendars, outside the secure channel, so it carries no data
 * about the youth at all: no name, no identity code, no address; only the handover id, the
 * organisations and their workers. A meeting place that is the youth's own address (possible
 * in-person) is left out under a non-disclosure marking.
 */
import type { EventAttributes } from 'ics';
import { chooseLetterLanguage, type Lang, letterMunicipalityCode } from '../domain/language.js';
import type { Handover, Person } from '../schema/types.js';
import { personLine } from './format.js';
import { letterTexts } from './texts.js';

const utcArray = (iso: string): [number, number, number, number, number] => {
  const d = new Date(iso);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
};

const attendee = (p: Person | undefined) =>
  p?.email
    ? [
        {
          name: p.name,
          email: p.email,
          rsvp: true,
          partstat: 'NEEDS-ACTION' as const,
          role: 'REQ-PARTICIPANT' as const,
        },
      ]
    : [];

/** The meeting place, unless it is the youth's own address (left out; under turvakielto even its postal code). */
export function safeLocation(doc: Handover): string | undefined {
  const loc = doc.meeting?.location;
  if (!loc) return undefined;
  const a = doc.youth.contact?.address;
  if (a && (loc.includes(a.street) || (doc.youth.nonDisclosure && loc.includes(a.postalCode))))
    return undefined;
  return loc;
}

/** The invitation text, or undefined when no meeting is proposed. Deterministic: DTSTAMP is createdAt. */
export async function renderIcs(
  doc: Handover,
  lang: Lang = chooseLetterLanguage({ municipalityCode: letterMunicipalityCode(doc) }),
): Promise<string | undefined> {
  const m = doc.meeting;
  if (!m || m.slots.length === 0) return undefined;
  const T = letterTexts(lang);
  const { createEvents } = await import('ics');
  const sender = doc.sender;
  const contact = sender.contact ? `\n${T.tx('ics.contact', { person: personLine(sender.contact) })}` : '';
  const location = safeLocation(doc);
  const organizer = sender.contact?.email
    ? { name: sender.contact.name, email: sender.contact.email }
    : undefined;
  const attendees = [...attendee(doc.recipient.contact), ...attendee(doc.recipient.backupContact)];
  const events: EventAttributes[] = m.slots.map(
    (slot, i) =>
      ({
        uid: `${doc.id}-${i + 1}@handover`,
        start: utcArray(slot.start),
        startInputType: 'utc',
        startOutputType: 'utc',
        end: utcArray(slot.end),
        endInputType: 'utc',
        endOutputType: 'utc',
        title: T.tx(`ics.summary.${doc.type}`),
        description: `${T.tx('ics.description', { id: doc.id, org: sender.organization.name })}${contact}`,
        ...(location ? { location } : {}),
        status: 'TENTATIVE',
        busyStatus: 'TENTATIVE',
        classification: 'CONFIDENTIAL',
        sequence: 0,
        ...(organizer ? { organizer } : {}),
        attendees,
        timestamp: new Date(doc.createdAt).getTime(),
      }) as EventAttributes,
  );
  const { error, value } = createEvents(events, {
    productId: '-//handover//cover letter//EN',
    // A REQUEST invites someone (RFC 5546 3.2.2: ORGANIZER and ATTENDEE required): without a
    // receiving worker's e-mail there is no one to invite yet, and the times are only published.
    method: organizer && attendees.length > 0 ? 'REQUEST' : 'PUBLISH',
  });
  if (error || !value) throw error ?? new Error('ics: no output');
  return foldOctets(value);
}

/**
 * RFC 5545 3.1: lines of at most 75 octets. The ics package folds at 75 characters, which
 * Finnish and Swedish letters push past 75 octets; refold without splitting a character.
 */
function foldOctets(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const out: string[] = [];
  for (const line of lines) {
    let rest = line;
    let limit = 75;
    let first = true;
    while (Buffer.byteLength(rest) > limit) {
      let cut = 0;
      let bytes = 0;
      for (const ch of rest) {
        const n = Buffer.byteLength(ch);
        if (bytes + n > limit) break;
        bytes += n;
        cut += ch.length;
      }
      out.push((first ? '' : ' ') + rest.slice(0, cut));
      rest = rest.slice(cut);
      first = false;
      limit = 74;
    }
    out.push((first ? '' : ' ') + rest);
  }
  return out.join('\r\n');
}
