/**
 * The files of a letter run, rendered and signed in memory: the cover letter (PDF/A-3 with the
 * handover attached, PAdES-signed), the youth's copy and the meeting's .ics. `letter` and
 * `new` both make them here: letter/ and signing/ never import each other, this composes them.
 */
import type { Config } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import type { Lang } from '../domain/language.js';
import type { OwnNames, PartnerNames } from '../domain/organisers.js';
import { handoverStem } from '../io/names.js';
import type { SigningIdentity } from '../keystore/types.js';
import { renderLetter } from '../letter/cover-letter.js';
import { renderIcs } from '../letter/ics.js';
import { letterTexts } from '../letter/texts.js';
import { renderYouthCopy, youthCopyLanguage } from '../letter/youth-copy.js';
import type { Handover, Party } from '../schema/types.js';
import { certificateBusinessId } from '../signing/binding.js';
import { addSignaturePlaceholder, signPrepared } from '../signing/pdf.js';
import { currentDirectory } from '../signing/trust.js';

export type LetterFileKind = 'cover-letter' | 'youth-copy' | 'meeting';

export interface RenderedFile {
  kind: LetterFileKind;
  /** File name (no folder): `<yyyymmdd>-<first 8 of id>.<kind>.<ext>`, no personal data. */
  name: string;
  data: Uint8Array | string;
  /** Language of a PDF. */
  lang?: Lang;
}

export interface LetterFilesInput {
  doc: Handover;
  /** The exact bytes of the handover file (attached and hashed). */
  fileBytes: Uint8Array;
  identity: SigningIdentity;
  letterLang: Lang;
  youthCopy?: boolean;
  /** Language of the youth's copy (--youth-lang); else the youth's own, else the letter's. */
  youthLang?: Lang;
  /** Write the .ics when a meeting is proposed (default true). */
  ics?: boolean;
  /** Signing time; now when absent. The letter's own date is the handover's createdAt. */
  now?: Date;
  /** From config: the signatory for a file that names none, and the ombudsman for the youth's copy. */
  signatory?: Config['signatory'];
  ombudsman?: Config['ombudsman'];
  /** An RFC 3161 TSA for the letter's signature-time-stamp (PAdES B-T), from timestamp.url. */
  timestamp?: { url: string };
  /** Our organisation's name in each language, from the profile. */
  ownNames?: OwnNames;
}

/**
 * SPEC §6, §7: a letter speaks for its sender, so only a key whose certificate names the
 * sender's business ID may sign it. A certificate that names no business ID is refused too:
 * the receiver could not tell whom it speaks for, and the letter says the sender signed.
 */
export function assertSignerIsSender(
  identity: Pick<SigningIdentity, 'chain' | 'alias'>,
  sender: Pick<Party, 'organization'>,
): void {
  const leaf = identity.chain[0];
  const certified = leaf ? certificateBusinessId(leaf) : undefined;
  const expected = sender.organization.businessId;
  if (certified !== undefined && certified === expected) return;
  throw new HandoverError('SIGNER_NOT_SENDER', EXIT.invalid, {
    key: certified === undefined ? 'letter.SIGNER_NOT_SENDER__none' : 'letter.SIGNER_NOT_SENDER',
    vars: { certified: certified ?? '', sender: expected, alias: identity.alias },
  });
}

/** One signed cover letter, in memory: what the bench script measures. */
export async function signedCoverLetter(
  doc: Handover,
  fileBytes: Uint8Array,
  identity: SigningIdentity,
  lang: Lang,
  now?: Date,
  signatory?: Config['signatory'],
  timestamp?: { url: string },
  ownNames?: OwnNames,
  partners: readonly PartnerNames[] | undefined = currentDirectory()?.entries,
): Promise<Uint8Array> {
  const signingTime = now ?? new Date();
  // The letter module calls back just before its one save; the signing module adds its
  // placeholder there. The two modules never import each other.
  const pdf = await renderLetter(doc, {
    lang,
    fileBytes,
    ...(signatory ? { signatory } : {}),
    ...(ownNames ? { ownNames } : {}),
    // Each organisation's name in the letter's language, where the partner directory gives it.
    ...(partners ? { partnerNames: partners } : {}),
    beforeSave: (pdfDoc) =>
      addSignaturePlaceholder(pdfDoc, identity, {
        signingTime,
        ...(timestamp ? { timestamp } : {}),
        reason: letterTexts(lang).tx(`meta.subject.${doc.type}`),
        contactInfo: doc.sender.organization.email ?? doc.sender.contact?.email ?? '',
      }),
  });
  return signPrepared(pdf, identity, { signingTime, ...(timestamp ? { timestamp } : {}) });
}

/** Renders and signs every file of a letter run, without touching the disk. */
export async function buildLetterFiles(input: LetterFilesInput): Promise<RenderedFile[]> {
  const { doc, fileBytes, identity, letterLang } = input;
  assertSignerIsSender(identity, doc.sender);
  const stem = handoverStem(doc);
  // The partner directory, read once for the run: names per language, the receiver's ombudsman.
  const partners = currentDirectory()?.entries;
  const files: RenderedFile[] = [
    {
      kind: 'cover-letter',
      name: `${stem}.cover-letter.pdf`,
      data: await signedCoverLetter(
        doc,
        fileBytes,
        identity,
        letterLang,
        input.now,
        input.signatory,
        input.timestamp,
        input.ownNames,
        partners,
      ),
      lang: letterLang,
    },
  ];
  if (input.youthCopy) {
    const lang = youthCopyLanguage(doc, letterLang, input.youthLang);
    const signingTime = input.now ?? new Date();
    // The receiving organisation's ombudsman, where the partner directory names one (SPEC §13).
    const theirs = partners?.find((e) => e.businessId === doc.recipient.organization.businessId)?.ombudsman;
    const pdf = await renderYouthCopy(doc, {
      lang,
      fileBytes,
      ...(input.ombudsman ? { ombudsman: input.ombudsman } : {}),
      ...(theirs ? { recipientOmbudsman: theirs } : {}),
      beforeSave: (pdfDoc) =>
        addSignaturePlaceholder(pdfDoc, identity, {
          signingTime,
          reason: letterTexts(lang).tx('meta.youthTitle'),
        }),
    });
    const data = await signPrepared(pdf, identity, { signingTime });
    files.push({ kind: 'youth-copy', name: `${stem}.youth-copy.pdf`, data, lang });
  }
  if (input.ics !== false) {
    const ics = await renderIcs(doc, letterLang);
    if (ics) files.push({ kind: 'meeting', name: `${stem}.meeting.ics`, data: ics });
  }
  return files;
}
