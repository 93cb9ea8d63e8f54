/**
 * `handover letter`: (re)render and sign the cover letter of a handover file, optionally the
 * youth's copy, and the meeting invitation when a meeting is proposed. Composes the letter
 * module (layout, PDF/A) and the PDF signer; writes all files or none.
 */

import { dirname, join } from 'node:path';
import { type Config, loadConfig } from '../config/store.js';
import { handoverStem } from '../documents/names.js';
import { validateDocument } from '../documents/validate.js';
import { chooseLetterLanguage, type Lang, letterMunicipalityCode } from '../domain/language.js';
import { EXIT, HandoverError } from '../errors.js';
import { writeFilesAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { readLimited } from '../io/read-document.js';
import { loadSigningIdentity } from '../keystore/index.js';
import type { KeyStoreKind, SigningIdentity } from '../keystore/types.js';
import { renderLetter } from '../letter/cover-letter.js';
import { renderIcs } from '../letter/ics.js';
import { letterTexts } from '../letter/texts.js';
import { renderYouthCopy, youthCopyLanguage } from '../letter/youth-copy.js';
import { appendAudit } from '../register/audit.js';
import type { Handover, Party } from '../schema/types.js';
import { certificateBusinessId } from '../signing/binding.js';
import { verifyDocument } from '../signing/jws.js';
import { addSignaturePlaceholder, signPrepared } from '../signing/pdf.js';

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
  /** Write the .ics when a meeting is proposed (default true). */
  ics?: boolean;
  /** Signing time; now when absent. The letter's own date is the handover's createdAt. */
  now?: Date;
  /** From config: the signatory for a file that names none, and the ombudsman for the youth's copy. */
  signatory?: Config['signatory'];
  ombudsman?: Config['ombudsman'];
}

/**
 * SPEC §6, §7: a letter speaks for its sender, so only a key whose certificate names the
 * sender's business ID may sign it. A certificate that names no business ID is refused too:
 * the receiver could not tell whom it speaks for, and the letter says the sender signed.
 */
export function assertSignerIsSender(identity: SigningIdentity, sender: Pick<Party, 'organization'>): void {
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
): Promise<Uint8Array> {
  const signingTime = now ?? new Date();
  // The letter module calls back just before its one save; the signing module adds its
  // placeholder there. The two modules never import each other.
  const pdf = await renderLetter(doc, {
    lang,
    fileBytes,
    ...(signatory ? { signatory } : {}),
    beforeSave: (pdfDoc) =>
      addSignaturePlaceholder(pdfDoc, identity, {
        signingTime,
        reason: letterTexts(lang).tx(`meta.subject.${doc.type}`),
        contactInfo: doc.sender.organization.email ?? doc.sender.contact?.email ?? '',
      }),
  });
  return signPrepared(pdf, identity, { signingTime });
}

/** Renders and signs every file of a letter run, without touching the disk. */
export async function buildLetterFiles(input: LetterFilesInput): Promise<RenderedFile[]> {
  const { doc, fileBytes, identity, letterLang } = input;
  assertSignerIsSender(identity, doc.sender);
  const stem = handoverStem(doc);
  const files: RenderedFile[] = [
    {
      kind: 'cover-letter',
      name: `${stem}.cover-letter.pdf`,
      data: await signedCoverLetter(doc, fileBytes, identity, letterLang, input.now, input.signatory),
      lang: letterLang,
    },
  ];
  if (input.youthCopy) {
    const lang = youthCopyLanguage(doc, letterLang);
    const signingTime = input.now ?? new Date();
    const pdf = await renderYouthCopy(doc, {
      lang,
      fileBytes,
      ...(input.ombudsman ? { ombudsman: input.ombudsman } : {}),
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

export interface LetterOptions {
  file: string;
  /** Size limit of the input in bytes (--max-size); default 5 MiB. */
  maxBytes?: number;
  /** Messages language (findings in an error). */
  lang: Lang;
  letterLang?: Lang;
  /** Output folder; the configured default, else the folder of the handover file. */
  outDir?: string;
  force?: boolean;
  keyAlias?: string;
  keyStore?: KeyStoreKind;
  youthCopy?: boolean;
  now?: Date;
  /** A signing identity already loaded (tests, bench); the key store is used when absent. */
  identity?: SigningIdentity;
}

export interface LetterResult {
  handoverId: string;
  /** SHA-256 of the handover file, as in the letter's footer. */
  sha256: string;
  letterLanguage: Lang;
  files: { kind: LetterFileKind; path: string; sha256: string; lang?: Lang }[];
}

const readHandoverBytes = (file: string, maxBytes?: number): Buffer =>
  readLimited(file, maxBytes, { code: 'HANDOVER_UNREADABLE', key: 'letter.HANDOVER_UNREADABLE' });

export async function writeLetter(opts: LetterOptions): Promise<LetterResult> {
  const bytes = readHandoverBytes(opts.file, opts.maxBytes);
  const config = loadConfig();
  const v = validateDocument(bytes, {
    lang: opts.lang,
    ...(config.services ? { services: config.services } : {}),
  });
  if (!v.valid || v.kind !== 'handover') {
    throw new HandoverError('HANDOVER_INVALID', EXIT.invalid, {
      key: 'letter.HANDOVER_INVALID',
      vars: { file: opts.file },
      details: v.findings
        .filter((f) => f.severity === 'error')
        .map((f) => ({ rule: f.rule, pointer: f.pointer, message: f.message })),
    });
  }
  const doc = v.doc as Handover;
  // The letter says its attachment is the signed handover, and `verify` holds it to that: a
  // letter around an unsigned or broken file would fail at the receiver. Trust is theirs to
  // decide, so an intact signature from a certificate we do not trust ourselves is fine here.
  const sig = await verifyDocument(doc, { trustAnchors: [], ...(opts.now ? { now: opts.now } : {}) });
  if (sig.status === 'missing' || sig.status === 'invalid') {
    throw new HandoverError(
      sig.status === 'missing' ? 'HANDOVER_UNSIGNED' : 'HANDOVER_SIGNATURE_INVALID',
      EXIT.invalid,
      {
        key: sig.status === 'missing' ? 'letter.HANDOVER_UNSIGNED' : 'letter.HANDOVER_SIGNATURE_INVALID',
        vars: { file: opts.file },
      },
    );
  }
  const letterLang = chooseLetterLanguage({
    explicit: opts.letterLang,
    municipalityCode: letterMunicipalityCode(doc),
    configured: config.defaults?.letterLanguage,
  });
  const identity =
    opts.identity ??
    (await loadSigningIdentity(
      opts.keyAlias ?? config.defaults?.keyAlias,
      opts.keyStore ?? config.defaults?.keyStore,
    ));
  const files = await buildLetterFiles({
    doc,
    fileBytes: bytes,
    identity,
    letterLang,
    youthCopy: opts.youthCopy ?? false,
    ...(opts.now ? { now: opts.now } : {}),
    ...(config.signatory ? { signatory: config.signatory } : {}),
    ...(config.ombudsman ? { ombudsman: config.ombudsman } : {}),
  });
  const outDir = opts.outDir ?? config.defaults?.outputFolder ?? dirname(opts.file);
  const sha256 = sha256Hex(bytes);
  writeFilesAtomic(
    files.map((f) => ({ path: join(outDir, f.name), data: f.data })),
    { force: opts.force ?? false, mkdir: true },
  );
  appendAudit({ event: 'letter', outcome: 'ok', handoverId: doc.id, sha256, detail: letterLang }, opts.now);
  return {
    handoverId: doc.id,
    sha256,
    letterLanguage: letterLang,
    files: files.map((f) => ({
      kind: f.kind,
      path: join(outDir, f.name),
      sha256: sha256Hex(f.data),
      ...(f.lang ? { lang: f.lang } : {}),
    })),
  };
}
