/**
 * The cover letter (SPEC §6): what the receiving organisation's worker reads and acts on.
 * The header says by when to answer; the request comes before the details; the closing says
 * how to confirm receipt without our tool, what is attached, and who signed. The handover file
 * itself rides along as a PDF/A-3 attachment, so that one signed PDF carries both.
 */

import { nameInLanguage, type OwnNames, type PartnerNames } from '../domain/organisers.js';
import { sha256Hex } from '../io/hash.js';
import { handoverStem } from '../io/names.js';
import type { Handover } from '../schema/types.js';
import { visibleServices } from './content.js';
import { finishPdf, orgName, type RenderOptions, startPdf } from './document.js';
import { formatDate, helsinkiDate, personLine } from './format.js';
import type { FlowWriter } from './layout.js';
import {
  type Ctx,
  consent,
  contacts,
  decisions,
  dispute,
  duties,
  isAct681,
  meeting,
  payment,
  plan,
  right,
  servicesTable,
  youth,
} from './sections.js';
import { type LetterTexts, letterTexts } from './texts.js';

export interface LetterRenderOptions extends RenderOptions {
  /** The signatory from config, for a file that names none (a 1.0 file). */
  signatory?: { name?: string; title?: string };
  /** Our organisation's name in each language, from the profile. */
  ownNames?: OwnNames;
  /** The partner directory's names of the organisations, when one was imported. */
  partnerNames?: readonly PartnerNames[];
}

/**
 * The parties named in the letter's language (a Finnish letter of a Swedish session names
 * "Pohjanmaan hyvinvointialue", not "Österbottens välfärdsområde"). Only the letter's text
 * changes: the attached file keeps its bytes.
 */
function namedIn(doc: Handover, lang: string, own?: OwnNames, partners?: readonly PartnerNames[]): Handover {
  const party = (p: Handover['sender']): Handover['sender'] => ({
    ...p,
    organization: { ...p.organization, name: nameInLanguage(p.organization, lang, own, partners) },
  });
  return { ...doc, sender: party(doc.sender), recipient: party(doc.recipient) };
}

const address = (a: { street: string; postalCode: string; city: string }): string =>
  `${a.street}, ${a.postalCode} ${a.city}`;

function header(w: FlowWriter, doc: Handover, T: LetterTexts, letterDate: string): void {
  const o = doc.sender.organization;
  const left = [
    { text: o.name, size: 13, bold: true },
    ...(o.unit ? [{ text: o.unit }] : []),
    ...(o.address ? [{ text: address(o.address) }] : []),
    { text: T.tx('header.businessId', { id: o.businessId }), grey: true },
  ];
  const right = [
    { text: T.tx('header.confidential'), size: 11, bold: true },
    { text: T.tx('header.ground'), size: 7.5 },
    ...(doc.caseReference ? [{ text: T.tx('header.caseReference', { ref: doc.caseReference }) }] : []),
    { text: T.tx('header.date', { date: letterDate }) },
    ...(doc.replyBy
      ? [{ text: T.tx('header.replyBy', { date: formatDate(doc.replyBy, T) }), bold: true }]
      : []),
  ];
  w.twoColumns(left, right);
  w.space(10);
  const r = doc.recipient.organization;
  w.text(T.tx('header.to'), { bold: true, size: 8, grey: true, after: 1 });
  w.text(r.name, { bold: true, after: 1 });
  if (r.unit) w.text(r.unit, { after: 1 });
  if (r.address) w.text(address(r.address), { after: 1 });
  w.space(12);
  w.text(T.tx(`subject.${doc.type}`), { size: 13, bold: true, after: 6, tag: 'H1' });
  // Before 1.1.2025 the support was no right (1386/2010 27 §): an older file's letter says so.
  const intro =
    doc.type === 'integration-support' && !isAct681(doc)
      ? 'intro.integration-support-old'
      : `intro.${doc.type}`;
  w.text(T.tx(intro), { after: 6 });
}

/** The one thing asked by a date: receipt, and a named worker unless the recipient already named one. */
function request(w: FlowWriter, doc: Handover, T: LetterTexts): void {
  const named = Boolean(doc.recipient.contact);
  const what = named ? 'receipt' : 'worker';
  const text = doc.replyBy
    ? T.tx(`request.${what}`, { date: formatDate(doc.replyBy, T) })
    : T.tx(`request.${what}NoDate`);
  w.heading(T.tx('request.heading'), w.height(text, { bold: true }));
  w.text(text, { bold: true, keep: true });
}

function closing(w: FlowWriter, doc: Handover, T: LetterTexts, opts: LetterRenderOptions): void {
  const stem = handoverStem(doc);
  const s = doc.sender;
  const person = s.contact ? personLine(s.contact) : (s.organization.email ?? s.organization.name);
  const tool = T.tx('ack.tool');
  const noTool = T.tx('ack.noTool', { person });
  w.heading(T.tx('ack.heading'), w.height(tool) + w.height(noTool));
  w.text(tool, { keep: true });
  w.text(noTool, { keep: true });

  const attachments = [T.tx('attachments.handover', { name: `${stem}.handover.json` })];
  if (doc.meeting && doc.meeting.slots.length > 0)
    attachments.push(T.tx('attachments.meeting', { name: `${stem}.meeting.ics` }));
  w.heading(T.tx('attachments.heading'), attachments.length * 14);
  w.bullets(attachments);

  // The signature block stays together: a signatory alone on a last page reads as a mistake.
  const signatory = doc.signatory ?? (opts.signatory?.name ? opts.signatory : undefined);
  const lines = signatory?.name
    ? [
        { text: signatory.name, bold: true },
        ...(signatory.title ? [{ text: signatory.title }] : []),
        { text: T.tx('signature.for', { org: orgName(s) }) },
        { text: T.tx('signature.signed'), grey: true },
      ]
    : [{ text: T.tx('signature.orgOnly', { org: orgName(s) }), grey: true }];
  w.heading(
    T.tx('signature.heading'),
    lines.reduce((h, l) => h + w.height(l.text, l), 0),
  );
  for (const l of lines) w.text(l.text, { ...l, after: 1 });
}

/** The unsigned PDF/A-3b cover letter with the handover file attached. */
export async function renderLetter(file: Handover, opts: LetterRenderOptions): Promise<Uint8Array> {
  const doc = namedIn(file, opts.lang, opts.ownNames, opts.partnerNames);
  const T = letterTexts(opts.lang);
  const date = opts.now ?? new Date(doc.createdAt);
  const scope = new Set(doc.consent.scope);
  const sha = sha256Hex(opts.fileBytes);
  const s = await startPdf(Buffer.from(sha, 'hex'));
  const { w } = s;
  const ctx: Ctx = { w, doc, T, scope, services: visibleServices(doc, scope) };
  header(w, doc, T, formatDate(helsinkiDate(date), T));
  request(w, doc, T);
  youth(ctx);
  right(ctx);
  duties(ctx);
  decisions(ctx);
  contacts(ctx);
  plan(ctx);
  servicesTable(ctx);
  payment(ctx);
  meeting(ctx);
  dispute(ctx);
  consent(ctx);
  if (doc.notes) {
    w.heading(T.tx('notes.heading'));
    w.text(doc.notes);
  }
  closing(w, doc, T, opts);
  w.footer((page, pages) => [
    `${T.tx('footer.id', { id: doc.id })}    ${T.tx('footer.page', { page, pages })}`,
    T.tx('footer.sha', { sha }),
  ]);
  return finishPdf(s, {
    title: T.tx(`meta.title.${doc.type}`),
    subject: T.tx(`meta.subject.${doc.type}`),
    keywords: T.tx(`meta.keywords.${doc.type}`),
    author: orgName(doc.sender),
    lang: opts.lang,
    date,
    kind: 'cover-letter',
    fileBytes: opts.fileBytes,
    ...(opts.beforeSave ? { beforeSave: opts.beforeSave } : {}),
    attachment: {
      name: `${handoverStem(doc)}.handover.json`,
      description: T.tx(`meta.subject.${doc.type}`),
    },
  });
}
