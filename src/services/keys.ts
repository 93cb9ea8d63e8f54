/**
 * `handover keys`: create, import, list, export and remove signing keys. The private key goes
 * to the key store only; HANDOVER_HOME/keys/ holds the public chain and a small metadata file.
 */
import { generateKeyPairSync, type KeyObject, type X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { loadConfig } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { homePath } from '../core/paths.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { keyNotFound } from '../keystore/errors.js';
import {
  chainPath,
  checkAlias,
  type KeyLocation,
  type KeyMeta,
  loadChain,
  metaPath,
  openKeyStore,
  type PinSource,
  readKeyMeta,
  resolveAlias,
  tokenPin,
} from '../keystore/index.js';
import { openTokenKey, type TokenRef } from '../keystore/pkcs11.js';
import type { KeyStore, KeyStoreKind } from '../keystore/types.js';
import { appendAudit } from '../register/index.js';
import {
  type CertInfo,
  certInfo,
  chainToPem,
  createSelfSigned,
  keyMatchesCert,
  parseCertificates,
  parsePkcs12,
} from '../signing/certs.js';

export interface KeyResult {
  alias: string;
  store: KeyLocation;
  origin: KeyMeta['origin'];
  certificate: CertInfo;
  chainLength: number;
  /** For a key in a PKCS#11 token: where it is (never the PIN). */
  pkcs11?: TokenRef;
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
    writePublic({ alias, store: store.kind, createdAt: now.toISOString(), origin }, chain);
  } catch (e) {
    await store.remove(alias).catch(() => false);
    throw e;
  }
  return recorded(alias, store.kind, origin, chain, now);
}

/** The public files of a key: its chain, then the metadata that says where the key lives. */
function writePublic(meta: KeyMeta, chain: X509Certificate[]): void {
  writeFileAtomic(chainPath(meta.alias), chainToPem(chain), { force: true, mkdir: true });
  writeFileAtomic(metaPath(meta.alias), `${JSON.stringify(meta, null, 2)}\n`, { force: true, mkdir: true });
}

async function recorded(
  alias: string,
  store: KeyLocation,
  origin: KeyMeta['origin'],
  chain: X509Certificate[],
  now: Date,
  pkcs11?: TokenRef,
): Promise<KeyResult> {
  await appendAudit(
    {
      event: 'keys',
      outcome: 'ok',
      detail: `${origin}:${alias}`,
      sha256: chain[0]!.fingerprint256.replace(/:/g, '').toLowerCase(),
    },
    now,
  );
  return {
    alias,
    store,
    origin,
    certificate: certInfo(chain[0]!),
    chainLength: chain.length,
    ...(pkcs11 ? { pkcs11 } : {}),
  };
}

export interface InitOptions {
  alias?: string;
  store?: KeyStoreKind;
  force?: boolean;
  now?: Date;
  /** For tests: an RSA-3072 key made ahead (the shared test PKI) instead of a new one. */
  privateKey?: KeyObject;
  /** For the file store: a passphrase typed on a terminal instead of HANDOVER_KEY_PASSPHRASE. */
  passphrase?: string;
}

export async function initKey(opts: InitOptions = {}): Promise<KeyResult> {
  const alias = resolveAlias(opts.alias);
  ensureFree(alias, opts.force);
  const org = loadConfig().organization;
  if (!org?.name || !org.businessId)
    throw new HandoverError('ORG_MISSING', EXIT.environment, { key: 'keys.ORG_MISSING' });
  const store = await openKeyStore(opts.store, opts.passphrase ? { passphrase: opts.passphrase } : {});
  // Reach the keychain before spending time on a key it could not hold.
  await store.probe?.();
  const now = opts.now ?? new Date();
  const privateKey = opts.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey;
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

export interface TokenImportOptions {
  /** The PKCS#11 module (shared library); a path is made absolute, a bare name is left to the loader. */
  module: string;
  token: string;
  key: string;
  /** Asks for the user PIN when HANDOVER_PKCS11_PIN is not set (a terminal prompt). Never stored. */
  pin?: PinSource;
  /** The certificate (chain, PEM or DER) when the token holds none for the key. */
  cert?: string;
  alias?: string;
  force?: boolean;
  now?: Date;
}

/**
 * Records a key that lives in a PKCS#11 token: the key stays there; HANDOVER_HOME/keys/ gets
 * the chain (from the token's certificate object with the key's label or CKA_ID, or from
 * `cert`) and the metadata naming module, token and key. Nothing is written until the
 * certificate's public key is known to be the token key's.
 */
export async function importTokenKey(opts: TokenImportOptions): Promise<KeyResult> {
  const alias = resolveAlias(opts.alias);
  ensureFree(alias, opts.force);
  let given: X509Certificate[] | undefined;
  if (opts.cert !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(opts.cert);
    } catch (e) {
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: opts.cert }, cause: e });
    }
    given = parseCertificates(bytes);
  }
  const ref: TokenRef = {
    module: opts.module.includes(sep) || opts.module.includes('/') ? resolve(opts.module) : opts.module,
    token: opts.token,
    key: opts.key,
  };
  const { key, certificates } = await openTokenKey(ref, await tokenPin(ref.token, opts.pin));
  const candidates = given ?? certificates;
  const leaf = candidates.find((c) => keyMatchesCert(key.publicKey, c));
  if (!leaf) {
    throw candidates.length === 0
      ? new HandoverError('PKCS11_CERT_MISSING', EXIT.environment, {
          key: 'keys.PKCS11_CERT_MISSING',
          vars: { token: ref.token, key: ref.key },
        })
      : new HandoverError('PKCS11_CERT_MISMATCH', EXIT.invalid, {
          key: 'keys.PKCS11_CERT_MISMATCH',
          vars: { token: ref.token, key: ref.key },
        });
  }
  const chain = [leaf, ...candidates.filter((c) => c !== leaf)];
  const now = opts.now ?? new Date();
  writePublic(
    { alias, store: 'pkcs11', createdAt: now.toISOString(), origin: 'imported', pkcs11: ref },
    chain,
  );
  return recorded(alias, 'pkcs11', 'imported', chain, now, ref);
}

export interface KeyListEntry {
  alias: string;
  store: KeyLocation;
  origin?: KeyMeta['origin'];
  pkcs11?: TokenRef;
  /** Is the private key in its store? `unknown` when the store cannot be reached, or is a token. */
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
    const kind: KeyLocation = meta?.store ?? configured ?? 'keychain';
    let key: KeyListEntry['key'] = 'unknown';
    // A token is not logged into just to list: its key stays "unknown" until it signs.
    if (kind !== 'pkcs11') {
      try {
        key = (await (await openKeyStore(kind)).list()).includes(alias) ? 'present' : 'missing';
      } catch {
        // The store is unreachable (no keychain, no passphrase): say so per key, keep listing.
      }
    }
    let certificate: CertInfo | undefined;
    try {
      certificate = certInfo(loadChain(alias)[0]!);
    } catch {}
    out.push({
      alias,
      store: kind,
      ...(meta ? { origin: meta.origin } : {}),
      ...(meta?.pkcs11 ? { pkcs11: meta.pkcs11 } : {}),
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
  store: KeyLocation;
  keyRemoved: boolean;
}

export async function removeKey(opts: { alias: string; store?: KeyStoreKind }): Promise<RemoveResult> {
  const alias = checkAlias(opts.alias);
  const meta = readKeyMeta(alias);
  // Nothing on disk and no store named: there is nothing to remove, and no reason to wake a keychain.
  if (!meta && !opts.store && !existsSync(chainPath(alias))) throw keyNotFound(alias);
  // A token's key is the organisation's, not ours to delete: only the public files go.
  const token = !opts.store && meta?.store === 'pkcs11';
  const store = token
    ? undefined
    : await openKeyStore(opts.store ?? (meta?.store as KeyStoreKind | undefined));
  const keyRemoved = store ? await store.remove(alias) : false;
  let filesRemoved = false;
  for (const p of [chainPath(alias), metaPath(alias)]) {
    try {
      unlinkSync(p);
      filesRemoved = true;
    } catch {}
  }
  if (!keyRemoved && !filesRemoved) throw keyNotFound(alias);
  await appendAudit({ event: 'keys', outcome: 'ok', detail: `remove:${alias}` });
  return { alias, store: store?.kind ?? 'pkcs11', keyRemoved };
}
