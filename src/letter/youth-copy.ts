/**
 * The young person's own copy (SPEC §9), in plain language (selkokieli / lättläst): short
 * sentences, everyday words, "you", and the acts gathered at the end instead of inside
 * sentences. It says what aftercare (or the support) is and that it is voluntary, what was
 * told, to whom and why, who to contact, the proposed meeting times, and every right. No
 * prices and no billing: money is settled between the organisations, not in front of the
 * youth; the handover file is not attached, since it carries the prices.
 */

import { chooseLetterLanguage, isLang, type Lang, letterMunicipalityCode } from '../domain/language.js';
import { sha256Hex } from '../io/hash.js';
import type { Handover, Person } from '../schema/types.js';
import { languageName, rightText, serviceName, visibleServices } from './content.js';
import { finishPdf, orgName, type RenderOptions, startPdf } from './document.js';
import { formatDate, formatSlot, helsinkiDate, personLine } from './format.js';
import { municipalityName } from './language.js';
import type { FlowWriter } from './layout.js';
import type { LetterTexts } from './texts.js';
import { letterTexts } from './texts.js';

export interface YouthCopyOptions extends RenderOptions {
  /** The organisation's social welfare ombudsman (config `ombudsman.*`). */
  ombudsman?: { name?: string; phone?: string; email?: string };
}

/** The youth's preferred language when it is one we write (fi, sv, en), else the letter's. */
export const youthCopyLanguage = (
  doc: Handover,
  letterLang: Lang = chooseLetterLanguage({ municipalityCode: letterMunicipalityCode(doc) }),
): Lang => (isLang(doc.youth.preferredLanguage) ? doc.youth.preferredLanguage : letterLang);

const BIG = 10.5;

/** Larger type than the letter: easier to read, and the copy is short. */
function para(w: FlowWriter, text: string, bold = false): void {
  w.text(text, { size: BIG, bold, keep: true, after: 5 });
}

function consentBasis(doc: Handover, T: LetterTexts): string {
  const c = doc.consent;
  if (c.basis === 'statutory') return T.tx('youthCopy.basisStatutory');
  if (!c.givenOn) return T.tx('youthCopy.basisConsentNoDate');
  const date = formatDate(c.givenOn, T);
  if (c.givenBy && c.givenBy !== 'youth')
    return T.tx('youthCopy.basisConsentGuardian', { date, givenBy: T.tx(`youthCopy.who.${c.givenBy}`) });
  return T.tx('youthCopy.basisConsent', { date });
}

function rights(doc: Handover, T: LetterTexts, ombudsman: YouthCopyOptions['ombudsman']): string[] {
  const items = [
    T.tx('youthCopy.rightSee'),
    T.tx('youthCopy.rightKnow'),
    T.tx('youthCopy.rightDecision'),
    T.tx('youthCopy.rightComplain'),
  ];
  const o = ombudsman?.name || ombudsman?.phone || ombudsman?.email ? (ombudsman as Person) : undefined;
  items.push(
    `${T.tx('youthCopy.rightOmbudsman')} ${
      o ? T.tx('youthCopy.ombudsmanContact', { person: personLine(o) }) : T.tx('youthCopy.ombudsmanUnknown')
    }`,
  );
  items.push(T.tx('youthCopy.rightSupervisor'));
  if (doc.youth.interpreter)
    items.push(T.tx('youthCopy.rightInterpreter', { language: languageName(doc.youth.interpreter, T) }));
  // Withdrawing consent means something only where consent is the basis.
  if (doc.consent.basis === 'consent') items.push(T.tx('youthCopy.rightWithdraw'));
  return items;
}

function laws(doc: Handover, T: LetterTexts, citation: string | undefined): string[] {
  return [
    T.tx(`youthCopy.law.${doc.type}`),
    ...(citation ? [T.tx('youthCopy.law.lastDay', { citation })] : []),
    ...(doc.consent.basis === 'statutory' && doc.consent.statutoryReference
      ? [T.tx('youthCopy.law.statutory', { ref: doc.consent.statutoryReference })]
      : []),
    T.tx('youthCopy.law.see'),
    T.tx('youthCopy.law.know'),
    T.tx('youthCopy.law.complain'),
    T.tx('youthCopy.law.ombudsman'),
  ];
}

export async function renderYouthCopy(doc: Handover, opts: YouthCopyOptions): Promise<Uint8Array> {
  const T = letterTexts(opts.lang);
  const date = opts.now ?? new Date(doc.createdAt);
  const scope = new Set(doc.consent.scope);
  const sha = sha256Hex(opts.fileBytes);
  const s = await startPdf(Buffer.from(sha, 'hex'));
  const { w } = s;
  const o = doc.sender.organization;
  w.twoColumns(
    [{ text: o.name, size: 13, bold: true }, ...(o.unit ? [{ text: o.unit }] : [])],
    [
      { text: T.tx('youthCopy.confidential'), size: 11, bold: true },
      { text: T.tx('youthCopy.forYou') },
      { text: T.tx('header.date', { date: formatDate(helsinkiDate(date), T) }) },
    ],
  );
  w.space(14);
  w.text(T.tx('youthCopy.title'), { size: 15, bold: true, after: 8 });
  para(w, T.tx('youthCopy.hello', { name: doc.youth.name.given }));
  // Under turvakielto even the municipality stays out: a copy can be lost or seen by others.
  para(
    w,
    doc.youth.nonDisclosure || !doc.youth.newMunicipalityCode
      ? T.tx('youthCopy.movingHidden')
      : T.tx('youthCopy.moving', {
          municipality: municipalityName(doc.youth.newMunicipalityCode, opts.lang),
        }),
  );
  para(w, T.tx('youthCopy.why'));

  const r = scope.has('entitlement') ? rightText(doc, T) : undefined;
  w.heading(T.tx(`youthCopy.whatIsHeading.${doc.type}`));
  para(w, T.tx(`youthCopy.whatIs.${doc.type}`));
  para(
    w,
    r
      ? // Never the receiver's support past the statutory day: an extension is the sender's (SPEC §5.4).
        T.tx(`youthCopy.voluntary.${doc.type}`, { date: r.statutoryDay ?? r.endsOn })
      : T.tx(`youthCopy.voluntaryNoDate.${doc.type}`),
  );

  w.heading(T.tx('youthCopy.whatHeading'));
  para(w, T.tx('youthCopy.what'));
  w.bullets(
    doc.consent.scope.map((c) =>
      T.tx(c === 'entitlement' ? `youthCopy.cat.entitlement.${doc.type}` : `youthCopy.cat.${c}`),
    ),
    BIG,
  );
  const services = [...new Set(visibleServices(doc, scope).map((x) => serviceName(x, T)))];
  if (services.length > 0) {
    para(w, T.tx('youthCopy.servicesIntro'));
    w.bullets(services, BIG);
  }
  if (doc.youth.nonDisclosure) para(w, T.tx('youthCopy.addressHidden'), true);

  w.heading(T.tx('youthCopy.withWhomHeading'));
  para(w, T.tx('youthCopy.withWhom', { org: orgName(doc.recipient) }));
  w.heading(T.tx('youthCopy.basisHeading'));
  para(w, consentBasis(doc, T));

  w.heading(T.tx('youthCopy.contactHeading'));
  const sc = doc.sender.contact;
  if (sc) para(w, T.tx('youthCopy.contactSender', { person: personLine(sc) }));
  const rc = doc.recipient.contact;
  para(
    w,
    rc
      ? T.tx('youthCopy.contactRecipient', { person: personLine(rc) })
      : T.tx('youthCopy.contactRecipientUnknown'),
  );

  const m = doc.meeting;
  if (m && m.slots.length > 0) {
    w.heading(T.tx('youthCopy.meetingHeading'));
    para(w, T.tx('youthCopy.meeting'));
    w.bullets(
      m.slots.map((x) => formatSlot(x.start, x.end, T)),
      BIG,
    );
    para(w, T.tx('youthCopy.meetingChoose'));
  }

  w.heading(T.tx('youthCopy.rightsHeading'));
  w.bullets(rights(doc, T, opts.ombudsman), BIG);
  w.heading(T.tx('youthCopy.closingHeading'));
  para(w, T.tx('youthCopy.closing'), true);

  w.heading(T.tx('youthCopy.lawsHeading'));
  for (const line of laws(doc, T, r?.citation)) w.text(line, { size: 8, grey: true, after: 2 });
  w.footer((page, pages) => [
    `${T.tx('footer.id', { id: doc.id })}    ${T.tx('footer.page', { page, pages })}`,
  ]);
  return finishPdf(s, {
    title: T.tx('meta.youthTitle'),
    subject: T.tx('meta.youthTitle'),
    keywords: T.tx(`meta.keywords.${doc.type}`),
    author: orgName(doc.sender),
    lang: opts.lang,
    date,
    kind: 'youth-copy',
    fileBytes: opts.fileBytes,
    ...(opts.beforeSave ? { beforeSave: opts.beforeSave } : {}),
  });
}
