/**
 * `handover keys`: create, import, list, export and remove signing keys. The private key goes
 * to the key store only; HANDOVER_HOME/keys/ holds the public chain and a small metadata file.
 */
import { generateKeyPairSync, type X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { loadConfig } from '../config/store.js';
import { EXIT, HandoverError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { keyNotFound } from '../keystore/errors.js';
import {
  chainPath,
  checkAlias,
  type KeyMeta,
  loadChain,
  metaPath,
  openKeyStore,
  readKeyMeta,
  resolveAlias,
} from '../keystore/index.js';
import type { KeyStore, KeyStoreKind } from '../keystore/types.js';
import { homePath } from '../paths.js';
import { appendAudit } from '../register/index.js';
import { type CertInfo, certInfo, chainToPem, createSelfSigned, parsePkcs12 } from '../signing/certs.js';

export interface KeyResult {
  alias: string;
  store: KeyStoreKind;
  origin: KeyMeta['origin'];
  certificate: CertInfo;
  chainLength: number;
}

function ensureFree(alias: string, force: boolean | undefined): void {
  if (!force && existsSync(chainPath(alias))) {
    throw new HandoverError('KEY_EXISTS', EXIT.io, { key: 'keys.KEY_EXISTS', vars: { alias } });
  }
}

/** Stores the key first (the step most likely to fail), then the public files; undoes on failure. */
async function install(
  store: KeyStore,
  alias: string,
  pkcs8Der: Uint8Array,
  chain: X509Certificate[],
  origin: KeyMeta['origin'],
  now: Date,
): Promise<KeyResult> {
  await store.put(alias, pkcs8Der);
  try {
    writeFileAtomic(chainPath(alias), chainToPem(chain), { force: true, mkdir: true });
    const meta: KeyMeta = { alias, store: store.kind, createdAt: now.toISOString(), origin };
    writeFileAtomic(metaPath(alias), `${JSON.stringify(meta, null, 2)}\n`, { force: true, mkdir: true });
  } catch (e) {
    await store.remove(alias).catch(() => false);
    throw e;
  }
  await appendAudit(
    {
      event: 'keys',
      outcome: 'ok',
      detail: `${origin}:${alias}`,
      sha256: chain[0]!.fingerprint256.replace(/:/g, '').toLowerCase(),
    },
    now,
  );
  return { alias, store: store.kind, origin, certificate: certInfo(chain[0]!), chainLength: chain.length };
}

export interface InitOptions {
  alias?: string;
  store?: KeyStoreKind;
  force?: boolean;
  now?: Date;
}

export async function initKey(opts: InitOptions = {}): Promise<KeyResult> {
  const alias = resolveAlias(opts.alias);
  ensureFree(alias, opts.force);
  const org = loadConfig().organization;
  if (!org?.name || !org.businessId)
    throw new HandoverError('ORG_MISSING', EXIT.environment, { key: 'keys.ORG_MISSING' });
  const store = await openKeyStore(opts.store);
  // Reach the keychain before spending time on a key it could not hold.
  await store.probe?.();
  const now = opts.now ?? new Date();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const cert = await createSelfSigned({
    privateKey,
    organizationName: org.name,
    businessId: org.businessId,
    now,
  });
  const der = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }));
  return install(store, alias, der, [cert], 'generated', now);
}

export interface ImportOptions {
  file: string;
  passphrase: string;
  alias?: string;
  store?: KeyStoreKind;
  force?: boolean;
  now?: Date;
}

export async function importKey(opts: ImportOptions): Promise<KeyResult> {
  const alias = resolveAlias(opts.alias);
  ensureFree(alias, opts.force);
  let bytes: Buffer;
  try {
    bytes = readFileSync(opts.file);
  } catch (e) {
    throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: opts.file }, cause: e });
  }
  const { pkcs8Der, chain } = await parsePkcs12(bytes, opts.passphrase);
  const store = await openKeyStore(opts.store);
  return install(store, alias, pkcs8Der, chain, 'imported', opts.now ?? new Date());
}

export interface KeyListEntry {
  alias: string;
  store: KeyStoreKind;
  origin?: KeyMeta['origin'];
  /** Is the private key in its store? `unknown` when the store cannot be reached. */
  key: 'present' | 'missing' | 'unknown';
  certificate?: CertInfo;
}

export async function listKeys(): Promise<KeyListEntry[]> {
  let files: string[];
  try {
    files = readdirSync(homePath('keys')).filter((f) => f.endsWith('.chain.pem'));
  } catch {
    return [];
  }
  const configured = loadConfig().defaults?.keyStore;
  const out: KeyListEntry[] = [];
  for (const f of files.sort()) {
    const alias = f.slice(0, -'.chain.pem'.length);
    const meta = readKeyMeta(alias);
    const kind: KeyStoreKind = meta?.store ?? configured ?? 'keychain';
    let key: KeyListEntry['key'] = 'unknown';
    try {
      key = (await (await openKeyStore(kind)).list()).includes(alias) ? 'present' : 'missing';
    } catch {
      // The store is unreachable (no keychain, no passphrase): say so per key, keep listing.
    }
    let certificate: CertInfo | undefined;
    try {
      certificate = certInfo(loadChain(alias)[0]!);
    } catch {}
    out.push({
      alias,
      store: kind,
      ...(meta ? { origin: meta.origin } : {}),
      key,
      ...(certificate ? { certificate } : {}),
    });
  }
  return out;
}

export interface ExportResult {
  alias: string;
  pem: string;
  certificate: CertInfo;
  file?: string;
}

/** The leaf certificate (public) for partners; with `out`, written as a file. */
export async function exportKey(opts: {
  alias?: string;
  out?: string;
  force?: boolean;
  chain?: boolean;
  now?: Date;
}): Promise<ExportResult> {
  const alias = resolveAlias(opts.alias);
  const chain = loadChain(alias);
  const pem = opts.chain ? chainToPem(chain) : chain[0]!.toString();
  if (opts.out) writeFileAtomic(opts.out, pem, { force: opts.force, mode: 0o644 });
  await appendAudit({ event: 'export', outcome: 'ok', detail: `certificate:${alias}` }, opts.now);
  return { alias, pem, certificate: certInfo(chain[0]!), ...(opts.out ? { file: opts.out } : {}) };
}

export interface RemoveResult {
  alias: string;
  store: KeyStoreKind;
  keyRemoved: boolean;
}

export async function removeKey(opts: { alias: string; store?: KeyStoreKind }): Promise<RemoveResult> {
  const alias = checkAlias(opts.alias);
  const meta = readKeyMeta(alias);
  // Nothing on disk and no store named: there is nothing to remove, and no reason to wake a keychain.
  if (!meta && !opts.store && !existsSync(chainPath(alias))) throw keyNotFound(alias);
  const store = await openKeyStore(opts.store ?? meta?.store);
  const keyRemoved = await store.remove(alias);
  let filesRemoved = false;
  for (const p of [chainPath(alias), metaPath(alias)]) {
    try {
      unlinkSync(p);
      filesRemoved = true;
    } catch {}
  }
  if (!keyRemoved && !filesRemoved) throw keyNotFound(alias);
  await appendAudit({ event: 'keys', outcome: 'ok', detail: `remove:${alias}` });
  return { alias, store: store.kind, keyRemoved };
}
