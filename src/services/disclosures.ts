/**
 * `handover register disclosures` (act 703/2023 11 §, SPEC §12): who received a youth's data.
 * The worker gives every identity code the youth has had (temporary codes are later replaced);
 * each is keyed under each secret the organisation has had, and the log's disclosures under
 * any of those keys are listed. The look-up is itself a use, logged under the youth. Nothing
 * here keeps or prints an identity code.
 */

import { loadConfig } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { isValidHetu } from '../domain/hetu.js';
import type { Lang } from '../domain/language.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { loadSigningIdentity, type PinSource } from '../keystore/index.js';
import type { KeyStoreKind } from '../keystore/types.js';
import { renderDisclosureExtract } from '../letter/disclosure-extract.js';
import { letterTexts } from '../letter/texts.js';
import { logEvent, normaliseCode, youthRefForCode, youthRefsForCodes } from '../register/disclosures.js';
import { openRegister } from '../register/index.js';
import { addSignaturePlaceholder, signPrepared } from '../signing/pdf.js';

export interface DisclosureEntry {
  at: string;
  action: string;
  purpose: string;
  worker: string;
  receiverName: string | null;
  receiverBusinessId: string | null;
  categories: string[];
  basis: string | null;
  documentId: string | null;
  sha256: string | null;
}

export interface DisclosuresResult {
  /** How many codes were looked up (never the codes). */
  codes: number;
  disclosures: DisclosureEntry[];
}

/** Codes as typed or piped: separated by white space, commas or semicolons. */
export const splitCodes = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');

export async function lookupDisclosures(opts: {
  codes: readonly string[];
  now?: Date;
}): Promise<DisclosuresResult> {
  if (opts.codes.length === 0)
    throw new HandoverError('IDENTITY_CODE_MISSING', EXIT.usage, { key: 'register.IDENTITY_CODE_MISSING' });
  const codes = opts.codes.map(normaliseCode);
  codes.forEach((c, i) => {
    // Which one, by its place: the code itself is not echoed.
    if (!isValidHetu(c))
      throw new HandoverError('IDENTITY_CODE_INVALID', EXIT.invalid, {
        key: 'register.IDENTITY_CODE_INVALID',
        vars: { n: i + 1 },
      });
  });
  const reg = await openRegister();
  try {
    const refs = await youthRefsForCodes(reg, codes);
    const events = refs.length ? await reg.eventsFor(refs) : [];
    const disclosures = events
      .filter((e) => e.type === 'disclosure')
      .map((e) => ({
        at: e.at,
        action: e.action,
        purpose: e.purpose,
        worker: e.worker,
        receiverName: e.receiverName,
        receiverBusinessId: e.receiverBusinessId,
        categories: e.categories,
        basis: e.basis,
        documentId: e.documentId,
        sha256: e.sha256,
      }));
    // The look-up is a use of the youth's data: logged under the first code, current secret.
    const current = await youthRefForCode(reg, codes[0] as string);
    await reg.transaction(async (tx) => {
      await logEvent(tx, {
        type: 'use',
        action: 'lookup',
        purpose: 'right-to-know',
        youth: current,
        ...(opts.now ? { at: opts.now } : {}),
      });
    });
    return { codes: codes.length, disclosures };
  } finally {
    await reg.close();
  }
}

export interface ExtractOptions {
  /** Where the signed PDF goes. */
  out: string;
  /** The youth's language (the register does not know it). */
  lang: Lang;
  force?: boolean;
  alias?: string;
  store?: KeyStoreKind;
  pin?: PinSource;
  now?: Date;
}

/**
 * The plain-language extract of a look-up (SPEC §12 `--format pdf`), signed like a letter, so
 * that the organisation can hand it to the youth and the youth can show where it came from.
 */
export async function writeDisclosureExtract(
  result: DisclosuresResult,
  opts: ExtractOptions,
): Promise<{ file: string; sha256: string }> {
  const now = opts.now ?? new Date();
  const config = loadConfig();
  const organization = config.organization?.name;
  if (!organization)
    throw new HandoverError('NO_ORGANIZATION', EXIT.usage, { key: 'import.NO_ORGANIZATION' });
  const identity = await loadSigningIdentity(opts.alias, opts.store ?? config.defaults?.keyStore, {
    pin: opts.pin,
  });
  const pdf = await renderDisclosureExtract({
    lang: opts.lang,
    organization,
    rows: result.disclosures,
    now,
    beforeSave: (doc) =>
      addSignaturePlaceholder(doc, identity, {
        signingTime: now,
        reason: letterTexts(opts.lang).tx('extract.title'),
      }),
  });
  const data = await signPrepared(pdf, identity, { signingTime: now });
  writeFileAtomic(opts.out, data, { force: opts.force ?? false });
  return { file: opts.out, sha256: sha256Hex(data) };
}
