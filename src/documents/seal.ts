/**
 * `handover seal`: encrypts each file for one recipient as CMS EnvelopedData (`<file>.p7m`).
 * All outputs are prepared in memory first and then written all-or-nothing, so that a failure
 * on the third file does not leave two sealed files behind.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, HandoverError } from '../core/errors.js';
import { writeFilesAtomic } from '../io/atomic-write.js';
import { sha256Hex } from '../io/hash.js';
import { appendAudit } from '../register/index.js';
import { certificateBusinessId } from '../signing/binding.js';
import { validAt } from '../signing/certs.js';
import { parseRecipientCertificate, sealBytes } from '../signing/cms.js';
import { loadTrustStore, type TrustEntry } from '../signing/trust.js';
import { certFacts } from '../signing/x509.js';

export interface SealOptions {
  files: string[];
  /** A trust store name, a certificate fingerprint, or the path of a certificate (PEM or DER). */
  to: string;
  /** Output folder; default: beside each input. */
  outDir?: string;
  force?: boolean;
}

export interface SealedFile {
  input: string;
  output: string;
  bytes: number;
  /** SHA-256 of the plaintext, so that the recipient can compare after opening. */
  sha256: string;
}

export interface SealResult {
  /** Whose certificate the files were sealed for: what the person must check before sending. */
  recipient: {
    subject: string;
    /** The organisation (O) the certificate names, else its common name. */
    organization: string;
    /** The business ID it speaks for (organizationIdentifier or trust-store binding), when known. */
    businessId?: string;
    fingerprint256: string;
    source: 'trust-store' | 'file';
    name?: string;
  };
  files: SealedFile[];
}

const normFp = (s: string): string => s.replace(/[:\s]/g, '').toUpperCase();

/**
 * What the person means by `--to` (issue 22.7, 25.10). A path is a file: something that
 * exists as a file, or is written like a path (a separator, or a certificate's extension); a
 * trust entry of the same name must never take its place (an office's shared store could
 * plant one). Anything else is a trust entry: by exact name, fingerprint or business ID, else
 * by a prefix of its name that only one entry has.
 */
function looksLikePath(to: string): boolean {
  return (existsSync(to) && statSync(to).isFile()) || /[/\\]/.test(to) || /\.(pem|crt|cer|der)$/i.test(to);
}

const businessIdOf = (e: TrustEntry): string | undefined => e.businessId ?? certificateBusinessId(e.cert);

function trustEntryFor(to: string): TrustEntry {
  const entries = loadTrustStore();
  const pick = (found: TrustEntry[]): TrustEntry | undefined => {
    if (found.length <= 1) return found[0];
    throw new HandoverError('RECIPIENT_AMBIGUOUS', EXIT.usage, {
      key: 'seal.RECIPIENT_AMBIGUOUS',
      vars: {
        to,
        candidates: found
          .map(
            (e) => `${e.name} (${organisationOf(e.subject)}${businessIdOf(e) ? `, ${businessIdOf(e)}` : ''})`,
          )
          .join('; '),
      },
    });
  };
  const exact = entries.find((e) => e.name === to || normFp(e.fingerprint256) === normFp(to));
  const found =
    exact ??
    pick(forEncryption(entries.filter((e) => businessIdOf(e) === to.trim()))) ??
    pick(entries.filter((e) => e.name.toLowerCase().startsWith(to.toLowerCase())));
  if (!found)
    throw new HandoverError('RECIPIENT_NOT_FOUND', EXIT.usage, {
      key: 'seal.RECIPIENT_NOT_FOUND',
      vars: { to },
    });
  return found;
}

/**
 * An organisation's certificates, one per fingerprint (the same one may be trusted by hand and
 * through the partner directory): of several, those that are valid now and may encrypt a key
 * (keyUsage keyEncipherment, bit 2, or no keyUsage at all), as a directory lists the signing
 * and the encryption certificate of one organisation side by side.
 */
function forEncryption(found: TrustEntry[]): TrustEntry[] {
  const unique = [...new Map(found.map((e) => [e.fingerprint256, e])).values()];
  if (unique.length <= 1) return unique;
  const now = new Date();
  const usable = unique.filter((e) => {
    if (!validAt(e.cert, now)) return false;
    try {
      const ku = certFacts(e.cert).keyUsage;
      return ku === undefined || ku.has(2);
    } catch {
      return false;
    }
  });
  return usable.length > 0 ? usable : unique;
}

/** The organisation (O) of a subject written "CN=…, O=…, …", or its common name. */
function organisationOf(subject: string): string {
  const field = (k: string) => new RegExp(`(?:^|, )${k}=(.*?)(?=, [A-Za-z0-9.]+=|$)`).exec(subject)?.[1];
  return field('O') ?? field('CN') ?? subject;
}

export async function resolveRecipient(
  to: string,
): Promise<{ der: Uint8Array; meta: SealResult['recipient'] }> {
  const { X509Certificate } = await import('node:crypto');
  let bytes: Uint8Array;
  let entry: TrustEntry | undefined;
  if (looksLikePath(to)) {
    if (!existsSync(to) || !statSync(to).isFile())
      throw new HandoverError('RECIPIENT_NOT_FOUND', EXIT.usage, {
        key: 'seal.RECIPIENT_NOT_FOUND',
        vars: { to },
      });
    bytes = readFileSync(to);
  } else {
    entry = trustEntryFor(to);
    bytes = Buffer.from(entry.pem, 'utf8');
  }
  const { der } = await parseRecipientCertificate(bytes);
  const cert = new X509Certificate(Buffer.from(der));
  const subject = cert.subject.split('\n').join(', ');
  const businessId = entry ? businessIdOf(entry) : certificateBusinessId(cert);
  return {
    der,
    meta: {
      subject,
      organization: organisationOf(subject),
      ...(businessId ? { businessId } : {}),
      fingerprint256: cert.fingerprint256,
      source: entry ? 'trust-store' : 'file',
      ...(entry ? { name: entry.name } : {}),
    },
  };
}

function readInput(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file }, cause: e });
    throw new HandoverError('INPUT_UNREADABLE', EXIT.invalid, {
      key: 'seal.INPUT_UNREADABLE',
      vars: { file, reason: code ?? 'EIO' },
      cause: e,
    });
  }
}

/** A handover id for the audit log, when the file is one of our JSON documents. */
function documentId(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0x7b && bytes[0] !== 0xef) return undefined;
  try {
    const id = (
      JSON.parse(
        Buffer.from(bytes)
          .toString('utf8')
          .replace(/^\uFEFF/, ''),
      ) as { id?: unknown }
    ).id;
    return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export async function seal(opts: SealOptions): Promise<SealResult> {
  if (opts.files.length === 0) throw new HandoverError('NO_INPUT', EXIT.usage);
  const recipient = await resolveRecipient(opts.to);
  const outputs: { path: string; data: Uint8Array }[] = [];
  const files: SealedFile[] = [];
  const ids: (string | undefined)[] = [];
  const seen = new Set<string>();
  for (const input of opts.files) {
    const plain = readInput(input);
    const output = resolve(join(opts.outDir ?? dirname(input), `${basename(input)}.p7m`));
    if (seen.has(output)) {
      throw new HandoverError('OUTPUT_EXISTS', EXIT.io, { vars: { file: output } });
    }
    seen.add(output);
    const data = await sealBytes(plain, recipient.der);
    outputs.push({ path: output, data });
    files.push({ input, output, bytes: data.length, sha256: sha256Hex(plain) });
    ids.push(documentId(plain));
  }
  try {
    writeFilesAtomic(outputs, { force: opts.force, mkdir: opts.outDir !== undefined });
  } catch (e) {
    await appendAudit({
      event: 'seal',
      outcome: 'failed',
      detail: (e as HandoverError).code ?? 'OUTPUT_FAILED',
    });
    throw e;
  }
  const to = `to:${normFp(recipient.meta.fingerprint256).slice(0, 16)}`;
  await appendAudit(
    files.map((f, i) => ({ event: 'seal', outcome: 'ok', handoverId: ids[i], sha256: f.sha256, detail: to })),
  );
  return { recipient: recipient.meta, files };
}
