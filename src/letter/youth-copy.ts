/**
 * The young person's own copy (SPEC §9), in plain language (selkokieli / lättläst): short
 * sentences, everyday words, "you", and the acts gathered at the end instead of inside
 * sentences. It says what aftercare (or the support) is and, from 18, that it is voluntary;
 * every kind of data the file carried (derived from its members), to whom and why; who to
 * contact; the proposed meeting times; independence funds in plain words; and every right,
 * with both organisations' social welfare ombudsmen and the Data Protection Ombudsman. No
 * prices and no billing: money is settled between the organisations, not in front of the
 * youth; the handover file is not attached, since it carries the prices.
 */

import { disclosedKinds } from '../domain/data-kinds.js';
import { ageOn } from '../domain/dates.js';
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

type Ombudsman = { name?: string; phone?: string; email?: string };

export interface YouthCopyOptions extends RenderOptions {
  /** The sending organisation's social welfare ombudsman (config `ombudsman.*`). */
  ombudsman?: Ombudsman;
  /** The receiving organisation's social welfare ombudsman, where known (a partner directory's entry). */
  recipientOmbudsman?: Ombudsman;
}

/**
 * The language of the copy: `explicit` (--youth-lang) first, then the youth's preferred
 * language when it is one we write (fi, sv, en), else the letter's.
 */
export const youthCopyLanguage = (
  doc: Handover,
  letterLang: Lang = chooseLetterLanguage({ municipalityCode: letterMunicipalityCode(doc) }),
  explicit?: Lang,
): Lang => explicit ?? (isLang(doc.youth.preferredLanguage) ? doc.youth.preferredLanguage : letterLang);

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

const known = (o: Ombudsman | undefined): Person | undefined =>
  o?.name || o?.phone || o?.email ? (o as Person) : undefined;

/** Both organisations' ombudsmen (act 739/2023): contact details where known, else where to find them. */
function ombudsmen(T: LetterTexts, opts: YouthCopyOptions): string[] {
  const s = known(opts.ombudsman);
  const r = known(opts.recipientOmbudsman);
  return [
    `${T.tx('youthCopy.rightOmbudsman')} ${
      s
        ? T.tx('youthCopy.ombudsmanSender', { person: personLine(s) })
        : T.tx('youthCopy.ombudsmanSenderUnknown')
    }`,
    r
      ? T.tx('youthCopy.ombudsmanRecipient', { person: personLine(r) })
      : T.tx('youthCopy.ombudsmanRecipientUnknown'),
  ];
}

function rights(doc: Handover, T: LetterTexts, opts: YouthCopyOptions): string[] {
  const items = [
    T.tx('youthCopy.rightSee'),
    T.tx('youthCopy.rightKnow'),
    T.tx('youthCopy.rightDecision'),
    T.tx('youthCopy.rightComplain'),
    ...ombudsmen(T, opts),
    T.tx('youthCopy.rightSupervisor'),
    T.tx('youthCopy.rightDataProtection'),
  ];
  if (doc.youth.interpreter)
    items.push(T.tx('youthCopy.rightInterpreter', { language: languageName(doc.youth.interpreter, T) }));
  // Withdrawing consent means something only where consent is the basis.
  if (doc.consent.basis === 'consent') items.push(T.tx('youthCopy.rightWithdrawEffect'));
  return items;
}

/** Kinds whose wording differs for aftercare and for integration support. */
const BY_TYPE = new Set(['wantsServices', 'placement', 'entitlement']);

/** Every kind of data the file carries, in the youth's words (SPEC §9: nothing sent is left out). */
export const disclosedList = (doc: Handover, T: LetterTexts): string[] =>
  disclosedKinds(doc).map((k) =>
    T.tx(BY_TYPE.has(k) ? `youthCopy.kind.${k}.${doc.type}` : `youthCopy.kind.${k}`),
  );

const hasFunds = (doc: Handover): boolean =>
  doc.type === 'aftercare' && doc.services.some((s) => s.classification === 'youth-funds');

function laws(doc: Handover, T: LetterTexts, citation: string | undefined): string[] {
  return [
    T.tx(`youthCopy.law.${doc.type}`),
    ...(citation ? [T.tx('youthCopy.law.lastDay', { citation })] : []),
    ...(doc.consent.basis === 'statutory' && doc.consent.statutoryReference
      ? [T.tx('youthCopy.law.statutory', { ref: doc.consent.statutoryReference })]
      : []),
    ...(hasFunds(doc) ? [T.tx('youthCopy.law.funds')] : []),
    T.tx('youthCopy.law.see'),
    T.tx('youthCopy.law.know'),
    T.tx('youthCopy.law.complain'),
    T.tx('youthCopy.law.ombudsman'),
    T.tx('youthCopy.law.dataProtection'),
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
  w.text(T.tx('youthCopy.title'), { size: 15, bold: true, after: 8, tag: 'H1' });
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
  // Voluntary is what an adult's aftercare is; to a minor it would promise a choice the law
  // does not give them alone (SPEC §9).
  const adult = ageOn(doc.youth.birthDate, helsinkiDate(date)) >= 18;
  const key = adult ? 'voluntary' : 'minor';
  // "You can ask for it again until …" only where that is a right and the day is still ahead:
  // discretionary aftercare is no right to ask for, and a day already past promises nothing
  // (a youth supported under a transitional decision after the statutory day).
  const today = helsinkiDate(date);
  const dated =
    r !== undefined &&
    doc.entitlement?.basis !== 'discretionary' &&
    (r.lawDay === undefined || today === undefined || r.lawDay >= today);
  para(
    w,
    dated
      ? // Never the receiver's support past the statutory day: an extension is the sender's (SPEC §5.4).
        T.tx(`youthCopy.${key}.${doc.type}`, { date: r.statutoryDay ?? r.endsOn })
      : T.tx(`youthCopy.${key}NoDate.${doc.type}`),
  );

  w.heading(T.tx('youthCopy.whatHeading'));
  para(w, T.tx('youthCopy.whatAll'));
  w.bullets(disclosedList(doc, T), BIG);
  const services = [...new Set(visibleServices(doc, scope).map((x) => serviceName(x, T)))];
  if (services.length > 0) {
    para(w, T.tx('youthCopy.servicesListed'));
    w.bullets(services, BIG);
  }
  if (doc.youth.nonDisclosure) para(w, T.tx('youthCopy.addressHidden'), true);
  if (hasFunds(doc)) {
    w.heading(T.tx('youthCopy.fundsHeading'));
    para(w, T.tx('youthCopy.funds', { org: orgName(doc.sender) }));
  }

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
  w.bullets(rights(doc, T, opts), BIG);
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
