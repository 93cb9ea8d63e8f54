/**
 * Two organisations for the seal/open tests: "ours" (the recipient, its key in the encrypted
 * file store under HANDOVER_HOME) and "sender" (signs documents; trusted by us). Keys are made
 * with openssl at test time.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileKeyStore } from '../../src/keystore/file.js';
import { signDocument } from '../../src/signing/jws.js';
import { addTrusted } from '../../src/signing/trust.js';
import { tempDir } from '../helpers/cli.js';
import { makeParty, type TestParty } from '../signing/cms-helpers.js';

export const PASSPHRASE = 'correct horse battery staple';
/** The organisation the sender's documents speak for. */
export const SENDER_BUSINESS_ID = '0201256-6';

export interface World {
  home: string;
  dir: string;
  ours: TestParty;
  sender: TestParty;
  stranger: TestParty;
  env: Record<string, string>;
}

function withHome<T>(home: string, fn: () => T): T {
  const saved = { h: process.env.HANDOVER_HOME, p: process.env.HANDOVER_KEY_PASSPHRASE };
  process.env.HANDOVER_HOME = home;
  process.env.HANDOVER_KEY_PASSPHRASE = PASSPHRASE;
  try {
    return fn();
  } finally {
    if (saved.h === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved.h;
    if (saved.p === undefined) delete process.env.HANDOVER_KEY_PASSPHRASE;
    else process.env.HANDOVER_KEY_PASSPHRASE = saved.p;
  }
}

export async function makeWorld(): Promise<World> {
  const dir = tempDir('handover-seal-');
  const home = join(dir, 'home');
  const ours = makeParty(dir, 'ours', 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde');
  const sender = makeParty(dir, 'sender', 'Testi Käyttäjä');
  const stranger = makeParty(dir, 'stranger', 'Muu Organisaatio');
  mkdirSync(join(home, 'keys'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'keys', 'ours.chain.pem'), readFileSync(ours.certPath));
  writeFileSync(
    join(home, 'keys', 'ours.meta.json'),
    JSON.stringify({ alias: 'ours', store: 'file', createdAt: '2026-01-01T00:00:00Z', origin: 'imported' }),
  );
  const der = new Uint8Array(ours.privateKey.export({ type: 'pkcs8', format: 'der' }));
  await withHome(home, () => new FileKeyStore().put('ours', der));
  withHome(home, () => {
    // The openssl-made certificate names no business ID: the trust store binds it.
    addTrusted(readFileSync(sender.certPath, 'utf8'), { name: 'sender', businessId: SENDER_BUSINESS_ID });
    addTrusted(readFileSync(ours.certPath, 'utf8'), 'ours');
  });
  return {
    home,
    dir,
    ours,
    sender,
    stranger,
    env: { HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: PASSPHRASE, HANDOVER_LANG: 'en' },
  };
}

/** A small handover-shaped document with invented data, signed by `by`. */
export async function signedHandover(
  by: TestParty,
  overrides: Record<string, unknown> = {},
): Promise<Uint8Array> {
  const doc = {
    schemaVersion: '1.0',
    id: randomUUID(),
    type: 'aftercare',
    createdAt: '2026-03-01T10:00:00+02:00',
    language: 'fi',
    sender: { organization: { name: 'Testi Käyttäjä', businessId: SENDER_BUSINESS_ID } },
    notes: 'Testiasiakirja: ääkköset ja rivinvaihto\r\nmukana.',
    ...overrides,
  };
  const signed = await signDocument(doc, {
    alias: 'sender',
    key: by.identity.key,
    chain: by.identity.chain,
  });
  return Buffer.from(`${JSON.stringify(signed, null, 2)}\n`, 'utf8');
}
