/**
 * Two organisations for end-to-end tests, each with its own HANDOVER_HOME, profile, signing
 * key (encrypted file store, so that no keychain is needed) and trust store.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveConfig } from '../../src/config/store.js';
import type { Handover } from '../../src/schema/types.js';
import { exportKey, initKey } from '../../src/services/keys.js';
import { addTrusted } from '../../src/signing/trust.js';
import { tempDir } from '../helpers/cli.js';
import { nextOrgKey } from '../helpers/test-pki.js';

export const PASSPHRASE = 'test passphrase for file keys';

export interface Org {
  name: string;
  businessId: string;
  home: string;
  /** Where this organisation writes and receives files. */
  dir: string;
  env: Record<string, string>;
  certPem: string;
}

/** Runs fn with this organisation's HANDOVER_HOME and key passphrase in the environment. */
export async function as<T>(org: Org, fn: () => T | Promise<T>): Promise<T> {
  const saved = { home: process.env.HANDOVER_HOME, pass: process.env.HANDOVER_KEY_PASSPHRASE };
  process.env.HANDOVER_HOME = org.home;
  process.env.HANDOVER_KEY_PASSPHRASE = PASSPHRASE;
  try {
    return await fn();
  } finally {
    if (saved.home === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved.home;
    if (saved.pass === undefined) delete process.env.HANDOVER_KEY_PASSPHRASE;
    else process.env.HANDOVER_KEY_PASSPHRASE = saved.pass;
  }
}

export async function makeOrg(name: string, businessId: string, municipalityCode: string): Promise<Org> {
  const home = tempDir('handover-org-');
  const dir = tempDir('handover-files-');
  const org: Org = {
    name,
    businessId,
    home,
    dir,
    env: { HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: PASSPHRASE, HANDOVER_LANG: 'en' },
    certPem: '',
  };
  await as(org, async () => {
    saveConfig({
      organization: { name, businessId, municipalityCode },
      contact: { name: `Työntekijä ${municipalityCode}`, email: `worker${municipalityCode}@example.fi` },
      backupContact: { name: `Varahenkilö ${municipalityCode}`, phone: '+358 40 123 4567' },
      defaults: { keyStore: 'file', outputFolder: dir },
    });
    // `keys init` itself, with an RSA-3072 key made ahead by the shared test PKI (no key generation per organisation).
    await initKey({ store: 'file', privateKey: nextOrgKey() });
    org.certPem = (await exportKey({})).pem;
  });
  return org;
}

export async function trustEachOther(a: Org, b: Org): Promise<void> {
  await as(a, () => addTrusted(b.certPem));
  await as(b, () => addTrusted(a.certPem));
}

/** The invented youth of these tests: a temporary identity code (individual number 950). */
export const YOUTH = { given: 'Testi-Aino', family: 'Kuvitteellinen', hetu: '020506A950H' };

/** A valid aftercare handover from `from` to `to`, unsigned. */
export function handover(from: Org, to: Org, over: Partial<Handover> = {}): Handover {
  return {
    schemaVersion: '1.0',
    id: randomUUID(),
    type: 'aftercare',
    createdAt: '2026-03-02T10:00:00+02:00',
    language: 'fi',
    sender: {
      organization: { name: from.name, businessId: from.businessId },
      contact: { name: 'Sanna Sosiaalityöntekijä', title: 'sosiaalityöntekijä', email: 'sanna@example.fi' },
      backupContact: { name: 'Ville Varahenkilö', phone: '+358 40 765 4321' },
    },
    recipient: { organization: { name: to.name, businessId: to.businessId } },
    youth: {
      name: { given: YOUTH.given, family: YOUTH.family },
      birthDate: '2006-05-02',
      personalIdentityCode: YOUTH.hetu,
      newMunicipalityCode: '091',
    },
    consent: {
      basis: 'consent',
      givenOn: '2026-02-20',
      method: 'written',
      recordedBy: 'Sanna Sosiaalityöntekijä',
      scope: ['identity', 'entitlement', 'services'],
    },
    entitlement: {
      basis: 'custody-placement',
      placementStartedOn: '2020-01-01',
      placementEndedOn: '2024-05-01',
      endsOn: '2029-05-01',
      payer: 'sender',
    },
    services: [],
    ...over,
  } as Handover;
}

/** Signs a handover as `org` and writes it under org.dir; returns the path. */
export async function sendFile(
  org: Org,
  doc: Handover,
  name = `${doc.id.slice(0, 8)}.handover.json`,
): Promise<string> {
  const { loadSigningIdentity } = await import('../../src/keystore/index.js');
  const { signDocument } = await import('../../src/signing/jws.js');
  const signed = await as(org, async () => signDocument(doc, await loadSigningIdentity()));
  const path = join(org.dir, name);
  writeFileSync(path, `${JSON.stringify(signed, null, 2)}\n`);
  return path;
}
