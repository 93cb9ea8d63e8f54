import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isHandoverError } from '../../src/core/errors.js';
import { seal } from '../../src/documents/seal.js';
import { verifyAuditText } from '../../src/register/audit-verify.js';
import { auditText } from '../helpers/audit.js';
import { tempDir } from '../helpers/cli.js';
import { openssl } from '../signing/cms-helpers.js';
import { makeWorld, signedHandover, type World } from './seal-fixtures.js';

let w: World;
let work: string;
let saved: string | undefined;

beforeAll(async () => {
  w = await makeWorld();
});
beforeEach(() => {
  saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = w.home;
  work = tempDir('handover-seal-work-');
});
afterEach(() => {
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
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

const decrypt = (p7m: string): Buffer =>
  openssl([
    'cms',
    '-decrypt',
    '-inform',
    'DER',
    '-in',
    p7m,
    '-inkey',
    w.ours.keyPath,
    '-recip',
    w.ours.certPath,
  ]);

describe('seal', () => {
  it('seals for a trust store name; openssl opens it to identical bytes; audit has the hash, not the content', async () => {
    const bytes = await signedHandover(w.sender);
    const file = join(work, '20260301-6f1c2d3e.handover.json');
    writeFileSync(file, bytes);
    const r = await seal({ files: [file], to: 'ours' });
    expect(r.recipient).toMatchObject({ source: 'trust-store', name: 'ours' });
    expect(r.files[0]?.output).toBe(`${file}.p7m`);
    expect(statSync(`${file}.p7m`).mode & 0o777).toBe(0o600);
    expect(Buffer.compare(decrypt(`${file}.p7m`), bytes)).toBe(0);
    const log = verifyAuditText(auditText(w.home));
    const last = log.entries.at(-1)?.entry;
    const id = JSON.parse(Buffer.from(bytes).toString('utf8')).id;
    expect(last).toMatchObject({ event: 'seal', outcome: 'ok', handoverId: id, sha256: r.files[0]?.sha256 });
    expect(auditText(w.home)).not.toContain('Testiasiakirja');
  });

  it('seals several files for a certificate file into an output folder it creates', async () => {
    const a = join(work, 'a.json');
    const b = join(work, 'b.pdf');
    writeFileSync(a, await signedHandover(w.sender));
    writeFileSync(b, Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\nbinary\x00\xff', 'latin1'));
    const out = join(work, 'outbox', 'today');
    const r = await seal({ files: [a, b], to: w.stranger.certPath, outDir: out });
    expect(r.recipient.source).toBe('file');
    expect(readdirSync(out).sort()).toEqual(['a.json.p7m', 'b.pdf.p7m']);
    const dec = openssl([
      'cms',
      '-decrypt',
      '-inform',
      'DER',
      '-in',
      join(out, 'b.pdf.p7m'),
      '-inkey',
      w.stranger.keyPath,
    ]);
    expect(Buffer.compare(dec, readFileSync(b))).toBe(0);
  });

  it('refuses an unknown recipient with a usage error', async () => {
    const a = join(work, 'a.json');
    writeFileSync(a, '{}');
    expect(await errorOf(seal({ files: [a], to: 'nobody-we-know' }))).toEqual({
      code: 'RECIPIENT_NOT_FOUND',
      exit: 2,
    });
  });

  it('refuses a file that is not a certificate', async () => {
    const a = join(work, 'a.json');
    writeFileSync(a, '{}');
    expect(await errorOf(seal({ files: [a], to: a }))).toEqual({ code: 'RECIPIENT_CERT_INVALID', exit: 1 });
  });

  it('writes nothing when one of the inputs is missing', async () => {
    const a = join(work, 'a.json');
    writeFileSync(a, '{}');
    expect(await errorOf(seal({ files: [a, join(work, 'missing.json')], to: 'ours' }))).toEqual({
      code: 'PATH_NOT_FOUND',
      exit: 2,
    });
    expect(existsSync(`${a}.p7m`)).toBe(false);
  });

  it('does not overwrite without --force, and replaces with it', async () => {
    const a = join(work, 'a.json');
    writeFileSync(a, '{"v":1}');
    await seal({ files: [a], to: 'ours' });
    const first = readFileSync(`${a}.p7m`);
    writeFileSync(a, '{"v":2}');
    expect(await errorOf(seal({ files: [a], to: 'ours' }))).toEqual({ code: 'OUTPUT_EXISTS', exit: 5 });
    expect(Buffer.compare(readFileSync(`${a}.p7m`), first)).toBe(0);
    await seal({ files: [a], to: 'ours', force: true });
    expect(decrypt(`${a}.p7m`).toString('utf8')).toBe('{"v":2}');
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
