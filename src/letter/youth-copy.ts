/**
 * The young person's own copy (SPEC §9): in plain language and their preferred language,
 * what was shared, with whom, on what basis, who to contact, and their rights. No prices and
 * no billing: money is settled between the organisations, not in front of the youth. The
 * handover file is not attached, since it carries the prices.
 */

import { chooseLetterLanguage, isLang, type Lang, letterMunicipalityCode } from '../domain/language.js';
import { sha256Hex } from '../io/hash.js';
import type { Handover } from '../schema/types.js';
import { categoryList, serviceName, visibleServices } from './cover-letter.js';
import { finishPdf, orgName, type RenderOptions, startPdf } from './document.js';
import { formatDate, helsinkiDate, personLine } from './format.js';
import { municipalityName } from './language.js';
import { letterTexts } from './texts.js';

/** The youth's preferred language when it is one we write (fi, sv, en), else the letter's. */
export const youthCopyLanguage = (
  doc: Handover,
  letterLang: Lang = chooseLetterLanguage({ municipalityCode: letterMunicipalityCode(doc) }),
): Lang => (isLang(doc.youth.preferredLanguage) ? doc.youth.preferredLanguage : letterLang);

export async function renderYouthCopy(doc: Handover, opts: RenderOptions): Promise<Uint8Array> {
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
      { text: T.tx('header.confidential'), size: 11, bold: true },
      { text: T.tx('header.date', { date: formatDate(helsinkiDate(date), T) }) },
    ],
  );
  w.space(14);
  w.text(T.tx('youthCopy.title'), { size: 15, bold: true, after: 8 });
  w.text(
    T.tx('youthCopy.intro', {
      name: doc.youth.name.given,
      municipality: municipalityName(doc.youth.newMunicipalityCode, opts.lang),
    }),
    { size: 10.5, after: 6 },
  );

  w.heading(T.tx('youthCopy.whatHeading'));
  w.text(T.tx('youthCopy.what', { categories: categoryList(doc.consent.scope, T) }), { size: 10.5 });
  const services = visibleServices(doc, scope);
  if (services.length > 0) w.bullets([...new Set(services.map((x) => serviceName(x, T)))]);
  if (doc.youth.nonDisclosure) w.text(T.tx('youthCopy.addressHidden'), { size: 10.5, bold: true });

  w.heading(T.tx('youthCopy.withWhomHeading'));
  w.text(T.tx('youthCopy.withWhom', { org: orgName(doc.recipient) }), { size: 10.5 });

  w.heading(T.tx('youthCopy.basisHeading'));
  const c = doc.consent;
  if (c.basis === 'statutory') {
    w.text(T.tx('youthCopy.basisStatutory', { ref: c.statutoryReference ?? '' }), { size: 10.5 });
  } else {
    const when = c.givenOn ? formatDate(c.givenOn, T) : '';
    w.text(
      c.givenBy && c.givenBy !== 'youth'
        ? T.tx('youthCopy.basisConsentGuardian', {
            date: when,
            givenBy: T.tx(`consent.givenBy.${c.givenBy}`),
          })
        : T.tx('youthCopy.basisConsent', { date: when }),
      { size: 10.5 },
    );
  }

  w.heading(T.tx('youthCopy.contactHeading'));
  const sc = doc.sender.contact;
  if (sc) w.text(T.tx('youthCopy.contactSender', { person: personLine(sc) }), { size: 10.5 });
  const rc = doc.recipient.contact;
  w.text(
    rc
      ? T.tx('youthCopy.contactRecipient', { person: personLine(rc) })
      : T.tx('youthCopy.contactRecipientUnknown'),
    { size: 10.5 },
  );
  if (doc.entitlement && scope.has('entitlement'))
    w.text(T.tx('youthCopy.rightUntil', { date: formatDate(doc.entitlement.endsOn, T) }), { size: 10.5 });

  w.heading(T.tx('youthCopy.rightsHeading'));
  w.bullets(
    ['rightKnow', 'rightWithdraw', 'rightComplain', 'rightOmbudsman'].map((k) => T.tx(`youthCopy.${k}`)),
  );
  w.space(6);
  w.text(T.tx('youthCopy.closing'), { size: 10.5, bold: true });
  w.footer((page, pages) => [
    `${T.tx('footer.id', { id: doc.id })}    ${T.tx('footer.page', { page, pages })}`,
  ]);
  return finishPdf(s, {
    title: T.tx('meta.youthTitle'),
    subject: T.tx('meta.youthTitle'),
    keywords: T.tx('meta.keywords'),
    author: orgName(doc.sender),
    lang: opts.lang,
    date,
    kind: 'youth-copy',
    fileBytes: opts.fileBytes,
    ...(opts.beforeSave ? { beforeSave: opts.beforeSave } : {}),
  });
}
