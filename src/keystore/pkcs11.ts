/**
 * The organisation's key in a PKCS#11 token (HSM, smart card, SoftHSM2), SPEC §11. The private
 * key never leaves the token: signing and RSA-OAEP decryption happen inside it, and this
 * module hands out a KeyHandle that asks the token each time. graphene-pk11 (on the native
 * pkcs11js) is an optional dependency, loaded here and nowhere else: where it could not be
 * built, every other command works and a token reports itself unavailable (exit 4).
 *
 * Each operation opens the module, logs in, works and finalises again: no session, login or
 * native handle outlives the call, so no command is kept alive by the token. The PIN lives in
 * memory for the command's duration only; it is never written, logged or put into a message.
 */
import { createHash, createPublicKey, type KeyObject, timingSafeEqual, X509Certificate } from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';
import type { KeyHandle, OaepHash, SignMechanism } from './types.js';

export const PIN_ENV = 'HANDOVER_PKCS11_PIN';

/** Where the key is: the module (shared library), the token's label and the key's label. */
export interface TokenRef {
  module: string;
  token: string;
  key: string;
}

// The parts of graphene-pk11 we use, typed here so that the build needs no optional package.
interface Collection<T> {
  length: number;
  items(i: number): T;
}
interface GObject {
  toType<T>(): T;
}
interface GKey {
  id: Buffer;
  getAttribute(a: Record<string, null>): Record<string, unknown>;
}
interface GSession {
  login(pin: string, type: number): void;
  logout(): void;
  close(): void;
  find(template: Record<string, unknown>): Collection<GObject>;
  createSign(alg: unknown, key: GKey): { once(data: Buffer): Buffer };
  createDecipher(alg: unknown, key: GKey): { once(data: Buffer, out: Buffer): Buffer };
}
interface GSlot {
  getToken(): { label: string };
  open(flags: number): GSession;
}
interface GModule {
  initialize(): void;
  finalize(): void;
  close(): void;
  getSlots(tokenPresent: boolean): Collection<GSlot>;
}
interface Graphene {
  Module: { load(lib: string, name?: string): GModule };
  SessionFlag: { SERIAL_SESSION: number };
  UserType: { USER: number };
  ObjectClass: { PRIVATE_KEY: number; CERTIFICATE: number };
  KeyType: { RSA: number };
  MechanismEnum: Record<string, number>;
  RsaMgf: Record<string, number>;
  RsaPssParams: new (hash: number, mgf: number, saltLength: number) => unknown;
  RsaOaepParams: new (hash: number, mgf: number) => unknown;
}

const fail = (code: string, vars: Record<string, string | number> = {}, cause?: unknown): HandoverError =>
  new HandoverError(code, EXIT.environment, { key: `keys.${code}`, vars, cause });

/** The PKCS#11 return value's name (e.g. CKR_PIN_INCORRECT), never anything the module echoed. */
const ckr = (e: unknown): string => {
  const m = e instanceof Error ? e.message : '';
  return /^CKR_[A-Z_]+/.exec(m)?.[0] ?? 'CKR_GENERAL_ERROR';
};

/** How the binding is imported; a parameter so that a test can stand for an install without it. */
export type BindingImport = () => Promise<unknown>;

async function loadGraphene(importer: BindingImport): Promise<Graphene> {
  try {
    const mod = (await importer()) as { default?: Graphene } & Graphene;
    const g = mod.default ?? mod;
    if (typeof g.Module?.load !== 'function') throw new Error('graphene-pk11 without Module');
    return g;
  } catch (e) {
    throw fail('PKCS11_UNAVAILABLE', {}, e);
  }
}

/** Opens the token, logs in, finds the key, runs fn and closes everything again. */
function withKey<T>(g: Graphene, ref: TokenRef, pin: string, fn: (s: GSession, key: GKey) => T): T {
  let mod: GModule;
  try {
    mod = g.Module.load(ref.module, 'handover');
    mod.initialize();
  } catch (e) {
    throw fail('PKCS11_MODULE_UNAVAILABLE', { module: ref.module }, e);
  }
  try {
    const slots = mod.getSlots(true);
    let slot: GSlot | undefined;
    for (let i = 0; i < slots.length && !slot; i++) {
      const s = slots.items(i);
      if (s.getToken().label.trim() === ref.token) slot = s;
    }
    if (!slot) throw fail('PKCS11_TOKEN_NOT_FOUND', { token: ref.token });
    const session = slot.open(g.SessionFlag.SERIAL_SESSION);
    let loggedIn = false;
    try {
      try {
        session.login(pin, g.UserType.USER);
        loggedIn = true;
      } catch (e) {
        const r = ckr(e);
        if (r === 'CKR_USER_ALREADY_LOGGED_IN') loggedIn = true;
        else if (r === 'CKR_PIN_INCORRECT' || r === 'CKR_PIN_LEN_RANGE')
          throw fail('PKCS11_PIN_WRONG', { token: ref.token });
        else if (r === 'CKR_PIN_LOCKED') throw fail('PKCS11_PIN_LOCKED', { token: ref.token });
        else throw fail('PKCS11_FAILED', { token: ref.token, reason: r });
      }
      const found = session.find({ class: g.ObjectClass.PRIVATE_KEY, label: ref.key });
      if (found.length === 0) throw fail('PKCS11_KEY_NOT_FOUND', { token: ref.token, key: ref.key });
      return fn(session, found.items(0).toType<GKey>());
    } finally {
      if (loggedIn) {
        try {
          session.logout();
        } catch {}
      }
      try {
        session.close();
      } catch {}
    }
  } catch (e) {
    if (e instanceof HandoverError) throw e;
    throw fail('PKCS11_FAILED', { token: ref.token, reason: ckr(e) }, e);
  } finally {
    try {
      mod.finalize();
      mod.close();
    } catch {}
  }
}

const b64u = (b: unknown): string => Buffer.from(b as Uint8Array).toString('base64url');

/** The public key of an RSA token key, from its modulus and exponent (public attributes). */
function publicKeyOf(g: Graphene, key: GKey, ref: TokenRef): KeyObject {
  const a = key.getAttribute({ keyType: null, modulus: null, publicExponent: null });
  if (a.keyType !== g.KeyType.RSA) throw fail('PKCS11_KEY_NOT_RSA', { token: ref.token, key: ref.key });
  return createPublicKey({
    key: { kty: 'RSA', n: b64u(a.modulus), e: b64u(a.publicExponent) },
    format: 'jwk',
  });
}

/** Certificates on the token for this key: the same label, else the same CKA_ID. */
function certificatesOf(g: Graphene, s: GSession, key: GKey, ref: TokenRef): X509Certificate[] {
  const read = (template: Record<string, unknown>): X509Certificate[] => {
    const found = s.find({ class: g.ObjectClass.CERTIFICATE, ...template });
    const out: X509Certificate[] = [];
    for (let i = 0; i < found.length; i++) {
      try {
        out.push(new X509Certificate(found.items(i).toType<{ value: Buffer }>().value));
      } catch {
        // A certificate object that does not parse is not ours to judge: skip it.
      }
    }
    return out;
  };
  const byLabel = read({ label: ref.key });
  return byLabel.length > 0 || key.id.length === 0 ? byLabel : read({ id: key.id });
}

const HASH_MECH: Record<OaepHash, [string, string]> = {
  'SHA-1': ['SHA1', 'MGF1_SHA1'],
  'SHA-256': ['SHA256', 'MGF1_SHA256'],
  'SHA-384': ['SHA384', 'MGF1_SHA384'],
  'SHA-512': ['SHA512', 'MGF1_SHA512'],
};

const mgf1 = (hash: string, seed: Buffer, length: number): Buffer => {
  const out: Buffer[] = [];
  let size = 0;
  for (let counter = 0; size < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    size += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
};

/**
 * EME-OAEP decoding (RFC 8017 §7.1.2 steps 3a-3g, empty label, MGF1 with the same hash) after a
 * raw RSA decryption in the token: for tokens that refuse the envelope's OAEP hash, as SoftHSM2
 * refuses SHA-256. node:crypto decodes OAEP only with the private key in hand, so the steps are
 * here, over its hashes. Every check is made before one decision, so a wrong block fails
 * the same way whichever check it fails (Manger's attack needs the difference).
 */
export function decodeOaep(em: Uint8Array, publicKey: KeyObject, hash: OaepHash): Uint8Array {
  const h = hash.replace('-', '').toLowerCase();
  const k = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  const hLen = createHash(h).digest().length;
  if (em.length > k || k < 2 * hLen + 2) throw new Error('raw RSA block does not fit the modulus');
  const block = Buffer.concat([Buffer.alloc(k - em.length), em]);
  const maskedSeed = block.subarray(1, 1 + hLen);
  const maskedDb = block.subarray(1 + hLen);
  const seed = Buffer.from(maskedSeed);
  const seedMask = mgf1(h, maskedDb, hLen);
  for (let i = 0; i < hLen; i++) seed[i]! ^= seedMask[i]!;
  const db = Buffer.from(maskedDb);
  const dbMask = mgf1(h, seed, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= dbMask[i]!;
  const lHash = createHash(h).digest();
  let bad = block[0]! | (timingSafeEqual(db.subarray(0, hLen), lHash) ? 0 : 1);
  // The first 0x01 after lHash, with only zeros before it.
  let separator = -1;
  for (let i = hLen; i < db.length; i++) {
    const found = separator < 0;
    if (found && db[i] === 0x01) separator = i;
    else if (found && db[i] !== 0x00) bad |= 1;
  }
  if (bad !== 0 || separator < 0) throw new Error('OAEP decoding error');
  return new Uint8Array(db.subarray(separator + 1));
}

export interface TokenKey {
  key: KeyHandle;
  /** The token's certificates for this key (same label or CKA_ID), possibly none. */
  certificates: X509Certificate[];
}

/**
 * Logs in once to check the PIN and find the key (and its certificates), then returns a
 * KeyHandle whose every operation runs inside the token.
 */
export async function openTokenKey(
  ref: TokenRef,
  pin: string,
  importer: BindingImport = () => import('graphene-pk11'),
): Promise<TokenKey> {
  const g = await loadGraphene(importer);
  const { publicKey, certificates } = withKey(g, ref, pin, (s, key) => ({
    publicKey: publicKeyOf(g, key, ref),
    certificates: certificatesOf(g, s, key, ref),
  }));
  const M = g.MechanismEnum;
  const mgf = g.RsaMgf;
  const mechanism = (m: SignMechanism): unknown => {
    switch (m) {
      case 'rsa-pss-sha256':
        return { name: 'SHA256_RSA_PKCS_PSS', params: new g.RsaPssParams(M.SHA256!, mgf.MGF1_SHA256!, 32) };
      case 'rsa-pkcs1-sha256':
        return 'SHA256_RSA_PKCS';
      default:
        throw fail('PKCS11_KEY_NOT_RSA', { token: ref.token, key: ref.key });
    }
  };
  const modulusBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 4096) / 8);
  const key: KeyHandle = {
    type: 'rsa',
    location: 'pkcs11',
    publicKey,
    async sign(m: SignMechanism, data: Uint8Array): Promise<Uint8Array> {
      const alg = mechanism(m);
      return withKey(g, ref, pin, (s, k) => new Uint8Array(s.createSign(alg, k).once(Buffer.from(data))));
    },
    async decryptOaep(encrypted: Uint8Array, params: { hash: OaepHash }): Promise<Uint8Array> {
      const [h, m] = HASH_MECH[params.hash];
      const out = Buffer.alloc(modulusBytes);
      const result = withKey<{ plain: Uint8Array } | { raw: Uint8Array }>(g, ref, pin, (s, k) => {
        try {
          const oaep = { name: 'RSA_PKCS_OAEP', params: new g.RsaOaepParams(M[h]!, mgf[m]!) };
          return { plain: new Uint8Array(s.createDecipher(oaep, k).once(Buffer.from(encrypted), out)) };
        } catch (oaepError) {
          // The token refuses this OAEP hash (SoftHSM2 2.6 knows SHA-1 only): raw RSA instead,
          // and the padding is checked below. A token that refuses that too is named with both.
          try {
            return {
              raw: new Uint8Array(s.createDecipher('RSA_X_509', k).once(Buffer.from(encrypted), out)),
            };
          } catch (rawError) {
            throw fail(
              'PKCS11_OAEP_REFUSED',
              { token: ref.token, hash: params.hash, reason: `${ckr(oaepError)}, ${ckr(rawError)}` },
              rawError,
            );
          }
        }
      });
      return 'plain' in result ? result.plain : decodeOaep(result.raw, publicKey, params.hash);
    },
  };
  return { key, certificates };
}
