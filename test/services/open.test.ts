import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isHandoverError } from '../../src/core/errors.js';
import { seal } from '../../src/documents/seal.js';
import { verifyAuditText } from '../../src/register/audit-verify.js';
import { open } from '../../src/services/open.js';
import { auditText } from '../helpers/audit.js';
import { tempDir } from '../helpers/cli.js';
import { openssl, type TestParty } from '../signing/cms-helpers.js';
import { makeWorld, PASSPHRASE, SENDER_BUSINESS_ID, signedHandover, type World } from './seal-fixtures.js';

let w: World;
let work: string;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  w = await makeWorld();
});
beforeEach(() => {
  for (const k of ['HANDOVER_HOME', 'HANDOVER_KEY_PASSPHRASE']) saved[k] = process.env[k];
  process.env.HANDOVER_HOME = w.home;
  process.env.HANDOVER_KEY_PASSPHRASE = PASSPHRASE;
  work = tempDir('handover-open-work-');
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function errorOf(p: Promise<unknown>): Promise<{ code: string; exit: number }> {
  try {
    await p;
  } catch (e) {
    if (isHandoverError(e)) return { code: e.code, exit: e.exit };
    throw e;
  }
  return { code: 'NO_ERROR', exit: 0 };
}

/** openssl encrypts, as a partner without this tool would. */
function opensslSeal(
  name: string,
  bytes: Uint8Array,
  to: TestParty,
  keyopt = ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha256'],
): string {
  const plain = join(work, name);
  writeFileSync(plain, bytes);
  const out = `${plain}.p7m`;
  openssl([
    'cms',
    '-encrypt',
    '-binary',
    '-aes256',
    '-in',
    plain,
    '-out',
    out,
    '-outform',
    'DER',
    '-recip',
    to.certPath,
    ...keyopt.flatMap((k) => ['-keyopt', k]),
  ]);
  return out;
}

const unsealed = (): string[] => readdirSync(work).filter((f) => !f.endsWith('.p7m'));

describe('open', () => {
  it('opens what openssl sealed with RSA-OAEP to identical bytes and verifies the signature inside', async () => {
    const bytes = await signedHandover(w.sender);
    const p7m = opensslSeal('h.handover.json', bytes, w.ours);
    const out = join(work, 'inbox');
    const r = await open({ file: p7m, out: `${out}/`, alias: 'ours' });
    expect(r.output).toBe(join(out, 'h.handover.json'));
    expect(Buffer.compare(readFileSync(r.output), bytes)).toBe(0);
    expect(r).toMatchObject({ kind: 'handover', verified: true });
    expect(r.signer?.subject).toContain('Testi Käyttäjä');
    const last = verifyAuditText(auditText(w.home)).entries.at(-1)?.entry;
    expect(last).toMatchObject({ event: 'open', outcome: 'ok', sha256: r.sha256, detail: 'handover' });
  });

  it('opens what seal wrote (round trip through the trust store name)', async () => {
    // A receipt speaks for its receiver: the sender's key answers as the receiver here.
    const bytes = await signedHandover(w.sender, {
      kind: 'receipt',
      receiver: { organization: { name: 'Testi Käyttäjä', businessId: SENDER_BUSINESS_ID } },
    });
    const file = join(work, 'r.receipt.json');
    writeFileSync(file, bytes);
    await seal({ files: [file], to: 'ours', outDir: join(work, 'out') });
    const r = await open({ file: join(work, 'out', 'r.receipt.json.p7m'), alias: 'ours' });
    expect(r.kind).toBe('receipt');
    expect(Buffer.compare(readFileSync(r.output), bytes)).toBe(0);
  });

  it('says the file is not for this key, exit 1, nothing written, failure audited', async () => {
    const p7m = opensslSeal('x.json', await signedHandover(w.sender), w.stranger);
    expect(await errorOf(open({ file: p7m, alias: 'ours' }))).toEqual({ code: 'P7M_NOT_FOR_US', exit: 1 });
    expect(existsSync(join(work, 'x.json.decrypted'))).toBe(false);
    const last = verifyAuditText(auditText(w.home)).entries.at(-1)?.entry;
    expect(last).toMatchObject({ event: 'open', outcome: 'failed', detail: 'P7M_NOT_FOR_US' });
  });

  it('explains openssl default PKCS#1 v1.5 key transport', async () => {
    const p7m = opensslSeal('v15.json', await signedHandover(w.sender), w.ours, []);
    expect(await errorOf(open({ file: p7m, alias: 'ours', out: join(work, 'o.json') }))).toEqual({
      code: 'P7M_PKCS1_V15',
      exit: 1,
    });
    expect(existsSync(join(work, 'o.json'))).toBe(false);
  });

  it('rejects a document signed by someone we do not trust', async () => {
    const p7m = opensslSeal('u.json', await signedHandover(w.stranger), w.ours);
    expect(await errorOf(open({ file: p7m, alias: 'ours', out: join(work, 'u.out') }))).toEqual({
      code: 'INNER_NOT_VERIFIED',
      exit: 1,
    });
    expect(existsSync(join(work, 'u.out'))).toBe(false);
  });

  it('rejects a signed document altered before sealing (anyone can encrypt for us)', async () => {
    const text = Buffer.from(await signedHandover(w.sender))
      .toString('utf8')
      .replace('aftercare', 'integration-support');
    const p7m = opensslSeal('alt.json', Buffer.from(text), w.ours);
    expect(await errorOf(open({ file: p7m, alias: 'ours', out: join(work, 'alt.out') }))).toEqual({
      code: 'INNER_NOT_VERIFIED',
      exit: 1,
    });
  });

  it('refuses an unsigned file unless asked, then writes it marked unverified', async () => {
    const ics = Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n');
    const p7m = opensslSeal('m.meeting.ics', ics, w.ours);
    expect(await errorOf(open({ file: p7m, alias: 'ours', out: join(work, 'm.out') }))).toEqual({
      code: 'INNER_UNSIGNED',
      exit: 1,
    });
    expect(existsSync(join(work, 'm.out'))).toBe(false);
    const r = await open({ file: p7m, alias: 'ours', out: join(work, 'm.out'), allowUnsigned: true });
    expect(r).toMatchObject({ kind: 'other', verified: false });
    expect(Buffer.compare(readFileSync(join(work, 'm.out')), ics)).toBe(0);
  });

  it('does not overwrite an existing output without force', async () => {
    const p7m = opensslSeal('e.json', await signedHandover(w.sender), w.ours);
    writeFileSync(join(work, 'e.out'), 'keep');
    expect(await errorOf(open({ file: p7m, alias: 'ours', out: join(work, 'e.out') }))).toEqual({
      code: 'OUTPUT_EXISTS',
      exit: 5,
    });
    expect(readFileSync(join(work, 'e.out'), 'utf8')).toBe('keep');
  });

  it('reports a missing key as an environment problem (exit 4)', async () => {
    const p7m = opensslSeal('k.json', await signedHandover(w.sender), w.ours);
    expect(await errorOf(open({ file: p7m, alias: 'no-such-key' }))).toMatchObject({ exit: 4 });
  });

  it('fails cleanly on any single-byte change to the ciphertext, writing nothing (property)', async () => {
    const bytes = await signedHandover(w.sender);
    const p7m = opensslSeal('t.json', bytes, w.ours);
    const original = readFileSync(p7m);
    // The encrypted content is the tail of the file; the key transport block sits before it.
    const contentStart = original.length - bytes.length - 16;
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: contentStart, max: original.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, xor) => {
          const bad = Buffer.from(original);
          bad[at] = (bad[at] ?? 0) ^ xor;
          const file = join(work, 'tampered.json.p7m');
          writeFileSync(file, bad);
          const out = join(work, 'tampered.out');
          // The key is unlocked once (w.ours), not by PBKDF2 in every run: the property is the decryption's.
          const e = await errorOf(open({ file, alias: 'ours', out, identity: w.ours.identity }));
          tried++;
          expect(['P7M_DECRYPT_FAILED', 'INNER_NOT_VERIFIED', 'P7M_MALFORMED']).toContain(e.code);
          expect(e.exit).toBe(1);
          expect(existsSync(out)).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
    expect(tried).toBe(40);
    expect(unsealed().filter((f) => f.startsWith('tampered'))).toEqual([]);
  });
});

describe('open of a PDF', () => {
  it('does not write a PDF whose signature cannot be checked', async () => {
    const pdf = Buffer.from(
      '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      'latin1',
    );
    const p7m = opensslSeal('letter.cover-letter.pdf', pdf, w.ours);
    const e = await errorOf(open({ file: p7m, alias: 'ours', out: join(work, 'l.pdf') }));
    expect(['INNER_UNSIGNED', 'INNER_NOT_VERIFIED']).toContain(e.code);
    expect(e.exit).toBe(1);
    expect(existsSync(join(work, 'l.pdf'))).toBe(false);
  });

  it('does not take garbage named .pdf for an unsigned file', async () => {
    const p7m = opensslSeal('garbled.pdf', Buffer.from('no pdf header here'), w.ours);
    expect(
      await errorOf(open({ file: p7m, alias: 'ours', out: join(work, 'g.pdf'), allowUnsigned: true })),
    ).toEqual({
      code: 'INNER_NOT_VERIFIED',
      exit: 1,
    });
  });
});
