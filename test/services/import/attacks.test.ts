/**
 * The attacks of issue 15, built as the attacker would: C holds its own key and certificate
 * (trusted by B as a partner) and signs with openssl, not through our `sign`. A sends, B
 * receives. Every attack must be refused with its rule code and exit 1, and leave the genuine
 * rows of the register as they were.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReceipt, buildWithdrawal } from '../../../src/documents/receipt.js';
import { loadPrivateKeyDer, loadSigningIdentity } from '../../../src/keystore/index.js';
import { openRegister } from '../../../src/register/index.js';
import { registerSent } from '../../../src/register/sent.js';
import type { Handover } from '../../../src/schema/types.js';
import { importFiles, renderSummary } from '../../../src/services/import/index.js';
import { validateOne } from '../../../src/services/validate/signatures.js';
import { verifyFile } from '../../../src/services/verify.js';
import { addTrusted } from '../../../src/signing/trust.js';
import { tempDir } from '../../helpers/cli.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther } from '../../register/orgs.js';

let A: Org;
let B: Org;
let C: Org;
let work: string;
const NOW = () => new Date();
const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sha = (p: string) => execFileSync('sha256sum', [p]).toString().slice(0, 64);
const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** C's own key and chain as C has them: the key exported to a PEM file for openssl. */
async function keyOf(org: Org): Promise<{ keyPath: string; x5c: string[] }> {
  const id = await as(org, () => loadSigningIdentity());
  const der = await as(org, () => loadPrivateKeyDer());
  const keyPath = join(work, `${org.businessId}.key.pem`);
  writeFileSync(
    keyPath,
    createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );
  return { keyPath, x5c: id.chain.map((c) => c.raw.toString('base64')) };
}

/** A JWS made with openssl alone: header, canonical payload, PS256 over the signing input. */
async function forge(org: Org, doc: object, sigT = secondsAgo(0)): Promise<string> {
  const { keyPath, x5c } = await keyOf(org);
  const { signature: _drop, ...rest } = doc as Record<string, unknown>;
  const prot = b64u(JSON.stringify({ alg: 'PS256', typ: 'handover+jws', x5c, sigT, crit: ['sigT'] }));
  const input = `${prot}.${b64u(canonicalize(rest)!)}`;
  const sig = execFileSync(
    'openssl',
    ['dgst', '-sha256', '-sign', keyPath, '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'],
    { input },
  );
  const file = join(work, `forged-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ ...rest, signature: { jws: `${prot}..${b64u(sig)}` } }, null, 2)}\n`,
  );
  return file;
}

const rowsOf = (org: Org) =>
  as(org, async () => {
    const reg = await openRegister();
    try {
      return await reg.list();
    } finally {
      await reg.close();
    }
  });
const party = (o: Org) => ({ organization: { name: o.name, businessId: o.businessId } });
const codes = (r: Awaited<ReturnType<typeof importFiles>>) => r.files[0]!.findings.map((f) => f.rule);

/** A handover A sent and B accepted, with A's register knowing it was sent. */
async function deliveredAtoB(): Promise<{ doc: Handover; file: string; receipt: string }> {
  const doc = handover(A, B);
  const file = await sendFile(A, doc);
  await as(A, () => registerSent(doc, sha(file), 'sent.json'));
  const r = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
  expect(r.files[0]).toMatchObject({ outcome: 'accepted', status: 'accepted' });
  return { doc, file, receipt: r.files[0]!.receiptFile! };
}

beforeAll(async () => {
  work = tempDir('handover-attacks-');
  A = await makeOrg('Länsi-Testin hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Itä-Testin hyvinvointialue', '2082259-7', '091');
  C = await makeOrg('Pohjois-Testin hyvinvointialue', '1572860-0', '005');
  await trustEachOther(A, B);
  // C is a genuine partner of both: trusted, and therefore able to try.
  await trustEachOther(B, C);
  await trustEachOther(A, C);
});

describe('the round trip still works', () => {
  it('A → B → receipt → A: accepted, then acknowledged', async () => {
    const { doc, receipt } = await deliveredAtoB();
    const back = await as(A, () => importFiles({ files: [receipt], lang: 'en', now: NOW }));
    expect(back.exit).toBe(0);
    expect(back.files[0]).toMatchObject({ kind: 'receipt', outcome: 'accepted', status: 'acknowledged' });
    expect((await rowsOf(A)).find((r) => r.id === doc.id)?.status).toBe('acknowledged');
  });
});

describe('sender spoofing', () => {
  it('C signs a handover whose sender is A: SIGNER_NOT_SENDER in import and verify, exit 1', async () => {
    const file = await forge(C, handover(A, B));
    const r = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(r.files[0]!.outcome).toBe('rejected');
    expect(codes(r)).toContain('SIGNER_NOT_SENDER');
    expect(r.files[0]!.findings.find((f) => f.rule === 'SIGNER_NOT_SENDER')?.message).toContain(C.businessId);
    const v = await as(B, () => verifyFile({ file }));
    expect(v).toMatchObject({ ok: false, code: 'SIGNER_NOT_SENDER', signerBusinessId: C.businessId });
  });

  it("validate --verify-signatures reports it as SIGNER_NOT_SENDER, in the reader's language", async () => {
    const file = await forge(C, handover(A, B));
    const r = await as(B, () => validateOne(file, { opts: { lang: 'fi' }, verifySignatures: true }));
    expect(r.valid).toBe(false);
    const f = r.findings.find((x) => x.rule === 'SIGNER_NOT_SENDER');
    expect(f).toMatchObject({ pointer: '/signature', severity: 'error' });
    expect(f?.message).toContain(C.businessId);
    expect(f?.message).toContain('allekirjoitus pätee vain');
  });

  it('the same forgery inside a sealed .p7m is refused alike', async () => {
    const file = await forge(C, handover(A, B));
    const p7m = `${file}.p7m`;
    const bCert = join(work, 'b.pem');
    writeFileSync(bCert, B.certPem);
    execFileSync(
      'openssl',
      [
        'cms',
        '-encrypt',
        '-aes256',
        '-in',
        file,
        '-out',
        p7m,
        '-outform',
        'DER',
        '-recip',
        bCert,
        '-keyopt',
        'rsa_padding_mode:oaep',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const r = await as(B, () => importFiles({ files: [p7m], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(codes(r)).toContain('SIGNER_NOT_SENDER');
  });

  it("C's correction with supersedes of A's handover: SIGNER_NOT_SENDER, A's handover stays", async () => {
    const { doc } = await deliveredAtoB();
    const before = (await rowsOf(B)).find((r) => r.id === doc.id);
    const file = await forge(C, { ...handover(C, B), supersedes: doc.id });
    const r = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(codes(r)).toContain('SIGNER_NOT_SENDER');
    expect((await rowsOf(B)).find((row) => row.id === doc.id)).toEqual(before);
  });

  it('our own tools refuse to produce a mismatch: C cannot sign a handover whose sender is A', async () => {
    const { signDocument } = await import('../../../src/signing/jws.js');
    const err = await as(C, async () => signDocument(handover(A, B), await loadSigningIdentity())).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'SIGNER_NOT_SENDER', exit: 1 });
  });
});

describe('forged receipts and withdrawals', () => {
  it('a C-signed receipt naming B as receiver is refused at A; a rejected one flips nothing', async () => {
    const { doc, file } = await deliveredAtoB();
    const before = (await rowsOf(A)).find((r) => r.id === doc.id);
    for (const reasons of [[], [{ rule: 'SCHEMA', pointer: '/id' }]]) {
      const receipt = buildReceipt({
        handoverId: doc.id,
        handoverSha256: sha(file),
        receivedAt: new Date(),
        receiver: party(B),
        reasons,
        schemaVersion: '1.0',
      });
      const forged = await forge(C, receipt);
      const r = await as(A, () => importFiles({ files: [forged], lang: 'en', now: NOW }));
      expect(r.exit).toBe(1);
      expect(codes(r)).toContain('SIGNER_NOT_SENDER');
    }
    expect((await rowsOf(A)).find((r) => r.id === doc.id)).toEqual(before);
  });

  it('a receipt C signs honestly as itself answers nothing it was not sent', async () => {
    const { doc, file } = await deliveredAtoB();
    const receipt = buildReceipt({
      handoverId: doc.id,
      handoverSha256: sha(file),
      receivedAt: new Date(),
      receiver: party(C),
      reasons: [{ rule: 'NOT_ADDRESSED_TO_US', pointer: '/recipient/organization/businessId' }],
      schemaVersion: '1.0',
    });
    const r = await as(A, async () =>
      importFiles({ files: [await forge(C, receipt)], lang: 'en', now: NOW }),
    );
    expect(r.exit).toBe(1);
    expect(r.files[0]!.findings[0]).toMatchObject({
      rule: 'SIGNER_NOT_SENDER',
      pointer: '/receiver/organization/businessId',
    });
    expect((await rowsOf(A)).find((row) => row.id === doc.id)?.status).toBe('sent');
  });

  it("a C-signed withdrawal in A's name is not applied at B", async () => {
    const { doc } = await deliveredAtoB();
    const w = buildWithdrawal({
      handoverId: doc.id,
      reason: 'Nuori peruutti suostumuksen.',
      withdrawnAt: new Date(),
      sender: party(A),
      schemaVersion: '1.0',
    });
    const r = await as(B, async () => importFiles({ files: [await forge(C, w)], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(codes(r)).toContain('SIGNER_NOT_SENDER');
    expect((await rowsOf(B)).find((row) => row.id === doc.id)?.status).toBe('accepted');
    // And C's honest withdrawal of A's handover meets the register: not the recorded sender.
    const own = buildWithdrawal({
      handoverId: doc.id,
      reason: 'x',
      withdrawnAt: new Date(),
      sender: party(C),
      schemaVersion: '1.0',
    });
    const r2 = await as(B, async () => importFiles({ files: [await forge(C, own)], lang: 'en', now: NOW }));
    expect(r2.exit).toBe(1);
    expect(r2.files[0]!.findings[0]).toMatchObject({
      rule: 'SIGNER_NOT_SENDER',
      pointer: '/sender/organization/businessId',
    });
    expect((await rowsOf(B)).find((row) => row.id === doc.id)?.status).toBe('accepted');
  });
});

describe('backdated signing time', () => {
  it("A's own key with sigT before createdAt: SIGNATURE_INVALID (before-document)", async () => {
    const file = await forge(
      A,
      handover(A, B, { createdAt: new Date().toISOString() }),
      '2022-06-01T10:00:00Z',
    );
    const r = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(codes(r)).toContain('SIGNATURE_INVALID');
    expect(await as(B, () => verifyFile({ file }))).toMatchObject({ ok: false, reason: 'before-document' });
  });
});

describe('replay: an older genuine receipt after a newer one', () => {
  it('is recorded as RECEIPT_STALE, exit 0, status unchanged', async () => {
    const { doc, file } = await deliveredAtoB();
    const at = (s: number) => new Date(Date.now() - s * 1000);
    const answer = async (outcome: 'accepted' | 'rejected', receivedAt: Date) => {
      const receipt = buildReceipt({
        handoverId: doc.id,
        handoverSha256: sha(file),
        receivedAt,
        receiver: party(B),
        reasons: outcome === 'rejected' ? [{ rule: 'SCHEMA', pointer: '/id' }] : [],
        schemaVersion: '1.0',
      });
      return forge(B, receipt, receivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    };
    const older = await answer('rejected', at(60));
    const newer = await answer('accepted', at(10));
    const first = await as(A, () => importFiles({ files: [newer], lang: 'en', now: NOW }));
    expect(first.files[0]).toMatchObject({ outcome: 'accepted', status: 'acknowledged' });
    const replay = await as(A, () => importFiles({ files: [older], lang: 'en', now: NOW }));
    expect(replay.exit).toBe(0);
    expect(replay.files[0]!.findings).toContainEqual(
      expect.objectContaining({ rule: 'RECEIPT_STALE', severity: 'warning' }),
    );
    expect((await rowsOf(A)).find((r) => r.id === doc.id)?.status).toBe('acknowledged');
  });
});

describe('the summary of a receipt that rejects our handover (issue 25)', () => {
  it('does not count it as accepted', async () => {
    const { doc, file } = await deliveredAtoB();
    const receivedAt = new Date(Date.now() - 5000);
    const receipt = buildReceipt({
      handoverId: doc.id,
      handoverSha256: sha(file),
      receivedAt,
      receiver: party(B),
      reasons: [{ rule: 'SCHEMA', pointer: '/id' }],
      schemaVersion: '1.0',
    });
    const rejecting = await forge(B, receipt, receivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const r = await as(A, () => importFiles({ files: [rejecting], lang: 'sv', now: NOW }));
    expect(r.files[0]).toMatchObject({ outcome: 'accepted', status: 'rejected' });
    expect(r.summary).toMatchObject({ files: 1, accepted: 0, rejectedByRecipient: 1 });
    expect(renderSummary(r, 'sv')).toBe('1 fil: 1 av våra överföringar avvisad av mottagaren.\n');
    expect(renderSummary(r, 'en')).not.toMatch(/accepted/);
  });
});

describe('a certificate without business ID needs a trust-store binding', () => {
  it('is SIGNER_NOT_SENDER (unbound) until trusted with --business-id', async () => {
    const dir = tempDir('handover-unbound-');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '30',
        '-subj',
        '/CN=Ilman tunnusta/O=Testi',
        '-utf8',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const pem = readFileSync(join(dir, 'c.pem'), 'utf8');
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(pem);
    const prot = b64u(
      JSON.stringify({
        alg: 'PS256',
        typ: 'handover+jws',
        x5c: [cert.raw.toString('base64')],
        sigT: secondsAgo(0),
        crit: ['sigT'],
      }),
    );
    const doc = handover(A, B);
    const sig = execFileSync(
      'openssl',
      [
        'dgst',
        '-sha256',
        '-sign',
        join(dir, 'k.pem'),
        '-sigopt',
        'rsa_padding_mode:pss',
        '-sigopt',
        'rsa_pss_saltlen:32',
      ],
      { input: `${prot}.${b64u(canonicalize(doc)!)}` },
    );
    const file = join(dir, 'h.json');
    writeFileSync(file, JSON.stringify({ ...doc, signature: { jws: `${prot}..${b64u(sig)}` } }));
    const home = tempDir('handover-unbound-home-');
    const org = { ...B, home };
    const untrusted = await as(org, () => verifyFile({ file }));
    expect(untrusted).toMatchObject({ ok: false, code: 'SIGNATURE_UNTRUSTED' });
    await as(org, () => addTrusted(pem, { name: 'plain' }));
    expect(await as(org, () => verifyFile({ file }))).toMatchObject({ ok: false, code: 'SIGNER_NOT_SENDER' });
    // Bound to the organisation the partner confirmed: the same certificate now speaks for A.
    const { removeTrusted } = await import('../../../src/signing/trust.js');
    await as(org, () => removeTrusted('plain'));
    await as(org, () => addTrusted(pem, { name: 'plain-bound', businessId: A.businessId }));
    expect(await as(org, () => verifyFile({ file }))).toMatchObject({ ok: true, status: 'valid' });
  });
});
