import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { saveConfig } from '../../src/config/store.js';
import { loadPrivateKeyDer, loadSigningIdentity } from '../../src/keystore/index.js';
import { exportKey, importKey, initKey, listKeys, removeKey } from '../../src/services/keys.js';
import { signDocument, verifyDocument } from '../../src/signing/jws.js';
import { auditText } from '../helpers/audit.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLE_SENDER, sampleHandover } from '../signing/jws-pki.js';

const ORG = { name: 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde', businessId: '3221308-6' };
const ENV = ['HANDOVER_HOME', 'HANDOVER_KEY_PASSPHRASE'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let home: string;

beforeEach(() => {
  home = tempDir();
  process.env.HANDOVER_HOME = home;
  process.env.HANDOVER_KEY_PASSPHRASE = 'pitkä testitunnuslause';
  saveConfig({ organization: ORG });
});
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every file under HANDOVER_HOME, searched for the private key in DER, PEM base64 and by label. */
function scanForKey(der: Uint8Array): string[] {
  const b64 = Buffer.from(der).toString('base64');
  const pemLines = b64.match(/.{1,64}/g)!.slice(1, -1);
  const problems: string[] = [];
  const files = walk(home);
  expect(files.length).toBeGreaterThan(2);
  for (const f of files) {
    const bytes = readFileSync(f);
    const text = bytes.toString('latin1');
    if (bytes.includes(Buffer.from(der))) problems.push(`${f}: DER`);
    // A 40-byte window of the key anywhere (the private exponent sits deep inside the DER).
    for (let off = 0; off + 40 <= der.length; off += 40) {
      if (bytes.includes(Buffer.from(der.subarray(off, off + 40)))) {
        problems.push(`${f}: DER bytes at ${off}`);
        break;
      }
    }
    if (text.includes(b64) || pemLines.some((l) => text.includes(l))) problems.push(`${f}: base64`);
    const labels = text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g) ?? [];
    for (const l of labels) {
      if (!(f.endsWith('.key.p8') && l === '-----BEGIN ENCRYPTED PRIVATE KEY-----'))
        problems.push(`${f}: ${l}`);
    }
    if (/PRIVATE KEY/.test(text.replace(/ENCRYPTED PRIVATE KEY/g, '')))
      problems.push(`${f}: PRIVATE KEY text`);
  }
  return problems;
}

describe('keys init (file store)', () => {
  test('RSA-3072, self-signed, ä/ö/å in O, business ID, 3 years; no private key bytes in HANDOVER_HOME', async () => {
    const now = new Date('2026-03-01T08:00:00Z');
    const r = await initKey({ alias: 'palvelin', store: 'file', now });
    expect(r).toMatchObject({ alias: 'palvelin', store: 'file', origin: 'generated', chainLength: 1 });
    expect(r.certificate.subject).toContain(`O=${ORG.name}`);
    expect(r.certificate.subject).toContain('organizationIdentifier=NTRFI-3221308-6');
    expect(r.certificate.notAfter.slice(0, 10)).toBe('2029-03-01');
    const id = await loadSigningIdentity('palvelin');
    expect(id.key.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(id.chain[0]!.checkIssued(id.chain[0]!)).toBe(false); // keyCertSign is not granted
    expect(id.chain[0]!.verify(id.chain[0]!.publicKey)).toBe(true);
    const der = await loadPrivateKeyDer('palvelin');
    expect(scanForKey(der)).toEqual([]);
    for (const f of walk(join(home, 'keys'))) expect(statSync(f).mode & 0o077).toBe(0);
    // It signs, and the result verifies against its own certificate.
    const signed = await signDocument(sampleHandover(), id, { now });
    expect(await verifyDocument(signed, { now, trustAnchors: id.chain })).toMatchObject({ status: 'valid' });
  });

  test('an existing alias needs --force; the organisation must be configured', async () => {
    await initKey({ alias: 'a', store: 'file' });
    await expect(initKey({ alias: 'a', store: 'file' })).rejects.toMatchObject({ code: 'KEY_EXISTS' });
    const before = (await loadSigningIdentity('a')).chain[0]!.fingerprint256;
    await initKey({ alias: 'a', store: 'file', force: true });
    expect((await loadSigningIdentity('a')).chain[0]!.fingerprint256).not.toBe(before);
    saveConfig({});
    await expect(initKey({ alias: 'b', store: 'file' })).rejects.toMatchObject({
      code: 'ORG_MISSING',
      exit: 4,
    });
  });

  test('an alias that is not a safe file name is a usage error', async () => {
    await expect(initKey({ alias: '../x', store: 'file' })).rejects.toMatchObject({
      code: 'ALIAS_INVALID',
      exit: 2,
    });
  });

  test('without HANDOVER_KEY_PASSPHRASE nothing is written', async () => {
    delete process.env.HANDOVER_KEY_PASSPHRASE;
    await expect(initKey({ alias: 'c', store: 'file' })).rejects.toMatchObject({
      code: 'KEY_PASSPHRASE_MISSING',
      exit: 4,
    });
    expect(await listKeys()).toEqual([]);
  });
});

describe('keys import (PKCS#12 from a CA)', () => {
  function makeP12(dir: string, pass: string): { p12: string; caPem: string } {
    const sh = (args: string[]) =>
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    sh([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '30',
      '-subj',
      '/C=FI/O=Testi CA/CN=Testi CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    sh([
      'req',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      'org.key',
      '-out',
      'org.csr',
      '-utf8',
      '-subj',
      `/C=FI/O=${ORG.name}/CN=${ORG.name}`,
    ]);
    writeFileSync(
      join(dir, 'ext.cnf'),
      'keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment\n',
    );
    sh([
      'x509',
      '-req',
      '-in',
      'org.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-days',
      '30',
      '-out',
      'org.pem',
      '-extfile',
      'ext.cnf',
    ]);
    sh([
      'pkcs12',
      '-export',
      '-in',
      'org.pem',
      '-inkey',
      'org.key',
      '-certfile',
      'ca.pem',
      '-out',
      'org.p12',
      '-passout',
      `pass:${pass}`,
    ]);
    return { p12: join(dir, 'org.p12'), caPem: readFileSync(join(dir, 'ca.pem'), 'utf8') };
  }

  test('key into the store, chain (leaf first) into HANDOVER_HOME, no private key bytes there', async () => {
    const dir = tempDir();
    const { p12, caPem } = makeP12(dir, 'salasana');
    const r = await importKey({ file: p12, passphrase: 'salasana', alias: 'org', store: 'file' });
    expect(r).toMatchObject({ alias: 'org', origin: 'imported', chainLength: 2 });
    expect(r.certificate.subject).toContain('Österbottens');
    const id = await loadSigningIdentity('org');
    expect(id.chain[1]!.toString()).toBe(new (await import('node:crypto')).X509Certificate(caPem).toString());
    // The openssl key file is the same key as the one stored.
    const expected = (await import('node:crypto'))
      .createPrivateKey(readFileSync(join(dir, 'org.key')))
      .export({ type: 'pkcs8', format: 'der' });
    const der = await loadPrivateKeyDer('org');
    expect(Buffer.from(der).equals(expected)).toBe(true);
    expect(scanForKey(der)).toEqual([]);
    const signed = await signDocument(sampleHandover(), id);
    // The test leaf names no business ID: a trust-store binding lets it speak for the sender.
    const trust = {
      anchors: [id.chain[1]!],
      bindings: new Map([[id.chain[0]!.fingerprint256, SAMPLE_SENDER]]),
      crls: [],
    };
    expect(await verifyDocument(signed, { trust })).toMatchObject({ status: 'valid' });
  });

  test('a passphrase with ä, ö, å opens an openssl 3 (PBES2, AES) file; a wrong one still fails', async () => {
    const dir = tempDir();
    const { p12 } = makeP12(dir, 'Älä ös åt');
    await expect(importKey({ file: p12, passphrase: 'Ala os at', store: 'file' })).rejects.toMatchObject({
      code: 'P12_PASSPHRASE_WRONG',
    });
    await expect(importKey({ file: p12, passphrase: 'Älä ös åT', store: 'file' })).rejects.toMatchObject({
      code: 'P12_PASSPHRASE_WRONG',
    });
    const r = await importKey({ file: p12, passphrase: 'Älä ös åt', alias: 'umlaut', store: 'file' });
    expect(r.chainLength).toBe(2);
  });

  test('a wrong passphrase and a file that is not PKCS#12 are reported, exit 1', async () => {
    const dir = tempDir();
    const { p12 } = makeP12(dir, 'oikea');
    await expect(importKey({ file: p12, passphrase: 'väärä', store: 'file' })).rejects.toMatchObject({
      code: 'P12_PASSPHRASE_WRONG',
      exit: 1,
    });
    writeFileSync(join(dir, 'x.p12'), 'not a p12');
    await expect(
      importKey({ file: join(dir, 'x.p12'), passphrase: 'x', store: 'file' }),
    ).rejects.toMatchObject({ exit: 1 });
    await expect(
      importKey({ file: join(dir, 'missing.p12'), passphrase: 'x', store: 'file' }),
    ).rejects.toMatchObject({ code: 'PATH_NOT_FOUND', exit: 2 });
    expect(await listKeys()).toEqual([]);
  });
});

describe('keys list, export, remove', () => {
  test('list shows store and key presence; export gives the public PEM only; remove deletes both', async () => {
    await initKey({ alias: 'yksi', store: 'file' });
    const list = await listKeys();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ alias: 'yksi', store: 'file', origin: 'generated', key: 'present' });
    const out = join(tempDir(), 'cert.pem');
    const e = await exportKey({ alias: 'yksi', out });
    expect(readFileSync(out, 'utf8')).toBe(e.pem);
    expect(e.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(e.pem).not.toContain('PRIVATE');
    await expect(exportKey({ alias: 'yksi', out })).rejects.toThrow(
      expect.objectContaining({ code: 'OUTPUT_EXISTS' }),
    );
    const audit = auditText(home);
    expect(audit).toContain('"event":"export"');
    expect(await removeKey({ alias: 'yksi' })).toMatchObject({
      alias: 'yksi',
      store: 'file',
      keyRemoved: true,
    });
    expect(await listKeys()).toEqual([]);
    await expect(removeKey({ alias: 'yksi' })).rejects.toMatchObject({ code: 'KEY_NOT_FOUND', exit: 4 });
    await expect(loadSigningIdentity('yksi')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND', exit: 4 });
  });

  test('a key file that disappeared is listed as missing, and signing says KEY_NOT_FOUND', async () => {
    await initKey({ alias: 'kaksi', store: 'file' });
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(home, 'keys', 'kaksi.key.p8'));
    expect((await listKeys())[0]).toMatchObject({ alias: 'kaksi', key: 'missing' });
    await expect(loadSigningIdentity('kaksi')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND', exit: 4 });
  });

  test('defaults.keyAlias and defaults.keyStore from config choose the key', async () => {
    saveConfig({ organization: ORG, defaults: { keyAlias: 'oletus', keyStore: 'file' } });
    const r = await initKey();
    expect(r).toMatchObject({ alias: 'oletus', store: 'file' });
    expect((await loadSigningIdentity()).alias).toBe('oletus');
  });
});

describe.runIf(process.env.HANDOVER_TEST_KEYCHAIN === '1' || Boolean(process.env.DBUS_SESSION_BUS_ADDRESS))(
  'keys init and import with the OS keychain (real gnome-keyring)',
  () => {
    test('the key lives in the keychain only; HANDOVER_HOME has the certificate and metadata', async () => {
      const alias = `kc-${process.pid}`;
      try {
        const r = await initKey({ alias, store: 'keychain' });
        expect(r.store).toBe('keychain');
        const id = await loadSigningIdentity(alias);
        expect(id.chain[0]!.fingerprint256).toBe(r.certificate.fingerprint256);
        const der = await loadPrivateKeyDer(alias);
        expect(scanForKey(der)).toEqual([]);
        expect(walk(home).some((f) => f.endsWith('.key.p8'))).toBe(false);
        expect((await listKeys())[0]).toMatchObject({ alias, store: 'keychain', key: 'present' });
      } finally {
        await removeKey({ alias }).catch(() => undefined);
      }
      await expect(loadPrivateKeyDer(alias, 'keychain')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    });
  },
);
