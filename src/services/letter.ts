/**
 * `handover letter`: (re)render and sign the cover letter of a handover file, optionally the
 * youth's copy, and the meeting invitation when a meeting is proposed. Composes the letter
 * module (layout, PDF/A) and the PDF signer; writes all files or none.
 */

import { dirname, join } from 'node:path';
import { loadConfig, ownNames } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { buildLetterFiles, type LetterFileKind } from '../documents/letter-files.js';
import { validateDocument } from '../documents/validate.js';
import { chooseLetterLanguage, type Lang, letterMunicipalityCode } from '../domain/language.js';
import { writeFilesAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { readLimited } from '../io/read-document.js';
import { loadSigningIdentity, type PinSource } from '../keystore/index.js';
import type { KeyStoreKind, SigningIdentity } from '../keystore/types.js';
import { appendAudit, logDocumentUse } from '../register/index.js';
import type { Handover } from '../schema/types.js';
import { verifyDocument } from '../signing/jws.js';

export interface LetterOptions {
  file: string;
  /** Size limit of the input in bytes (--max-size); default 5 MiB. */
  maxBytes?: number;
  /** Messages language (findings in an error). */
  lang: Lang;
  letterLang?: Lang;
  /** Language of the youth's copy (--youth-lang); the youth's own language when absent. */
  youthLang?: Lang;
  /** Output folder; the configured default, else the folder of the handover file. */
  outDir?: string;
  force?: boolean;
  keyAlias?: string;
  keyStore?: KeyStoreKind;
  /** Asks for a token's PIN when HANDOVER_PKCS11_PIN is not set (a terminal prompt); none: exit 4. */
  pin?: PinSource;
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
      { pin: opts.pin },
    ));
  const files = await buildLetterFiles({
    doc,
    fileBytes: bytes,
    identity,
    letterLang,
    youthCopy: opts.youthCopy ?? false,
    ...(opts.youthLang ? { youthLang: opts.youthLang } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(config.signatory ? { signatory: config.signatory } : {}),
    ...(config.ombudsman ? { ombudsman: config.ombudsman } : {}),
    ...(config.timestamp?.url ? { timestamp: { url: config.timestamp.url } } : {}),
    ...(ownNames(config) ? { ownNames: ownNames(config)! } : {}),
  });
  const outDir = opts.outDir ?? config.defaults?.outputFolder ?? dirname(opts.file);
  const sha256 = sha256Hex(bytes);
  writeFilesAtomic(
    files.map((f) => ({ path: join(outDir, f.name), data: f.data })),
    { force: opts.force ?? false, mkdir: true },
  );
  await appendAudit(
    { event: 'letter', outcome: 'ok', handoverId: doc.id, sha256, detail: letterLang },
    opts.now,
  );
  await logDocumentUse(
    doc,
    files.flatMap((f) =>
      f.kind === 'cover-letter'
        ? ['letter' as const]
        : f.kind === 'youth-copy'
          ? ['youth-copy' as const]
          : [],
    ),
    sha256,
  );
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
