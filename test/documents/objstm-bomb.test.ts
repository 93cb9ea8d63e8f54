/**
 * Issue 22, item 1: a PDF whose object stream inflates to 1 GiB (a 1 MB file) cost `import`
 * 37 s and 2.1 GB, `verify` and `open` alike: pdf-lib inflates every object stream on load.
 * The bombs are written byte by byte (objstm-bomb.ts) and signed with openssl by a key of the
 * attacker's own, so that `verify` loads them as it would a genuine letter; `open` gets one
 * sealed with `openssl cms -encrypt` (RSA-OAEP). Each command of the built CLI must refuse with
 * PDF_STREAMS_TOO_LARGE and keep its peak memory (GNU time's maximum resident set) far below
 * the bomb's size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachedFiles } from '../../src/letter/attachment.js';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';
import { makeOrg, type Org } from '../register/orgs.js';
import { objStmBomb } from './objstm-bomb.js';

let B: Org;
let dir: string;
const SIZES = { '256 MiB': 256 << 20, '1 GiB': 1 << 30 } as const;
type Size = keyof typeof SIZES;
const files: Record<Size, { pdf: string; sealed: string }> = {} as never;

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'letter', 'pdf-load.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  dir = tempDir('handover-objstm-');
  const keyPath = join(dir, 'attacker.key.pem');
  const certPath = join(dir, 'attacker.cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '30',
    ].concat(['-subj', '/CN=Attacker/O=Attacker Oy']),
    { stdio: 'pipe' },
  );
  const recipient = join(dir, 'b.cert.pem');
  writeFileSync(recipient, B.certPem);
  for (const [name, size] of Object.entries(SIZES) as [Size, number][]) {
    const pdf = join(dir, `${size}.cover-letter.pdf`);
    writeFileSync(pdf, await objStmBomb(size, { keyPath, certPath, dir }));
    const sealed = `${pdf}.p7m`;
    execFileSync('openssl', [
      'cms',
      '-encrypt',
      '-binary',
      '-aes256',
      '-in',
      pdf,
      '-out',
      sealed,
      '-outform',
      'DER',
      '-recip',
      recipient,
      '-keyopt',
      'rsa_padding_mode:oaep',
      '-keyopt',
      'rsa_oaep_md:sha256',
    ]);
    files[name] = { pdf, sealed };
  }
}, 180_000);

/** The built CLI under GNU time: exit code, stdout and peak resident memory in MB. */
function measured(args: string[]): { code: number | null; stdout: string; stderr: string; peakMb: number } {
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK %M', process.execPath, BIN, ...args], {
    env: { ...process.env, ...B.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const m = /PEAK (\d+)/.exec(r.stderr) ?? [];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, peakMb: Number(m[1]) / 1024 };
}

const figure = (what: string, r: { peakMb: number }) => {
  if (process.env.HANDOVER_TEST_FIGURES) console.log(`${what}: peak ${r.peakMb.toFixed(0)} MB`);
};

describe.each(Object.keys(SIZES) as Size[])('an object stream that inflates to %s', (size) => {
  const ceiling = 250;

  it('verify refuses it with PDF_STREAMS_TOO_LARGE', () => {
    const r = measured(['verify', files[size].pdf, '--json']);
    figure(`verify (${size})`, r);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('PDF_STREAMS_TOO_LARGE');
    expect(r.peakMb).toBeLessThan(ceiling);
  });

  it('import refuses it with PDF_STREAMS_TOO_LARGE and writes no receipt', () => {
    const out = tempDir('handover-objstm-out-');
    const r = measured(['import', files[size].pdf, '--out', out, '--json']);
    figure(`import (${size})`, r);
    expect(r.code).toBe(1);
    const file = JSON.parse(r.stdout).files[0];
    expect(file.findings.map((f: { rule: string }) => f.rule)).toEqual(['PDF_STREAMS_TOO_LARGE']);
    expect(file.receiptFile).toBeUndefined();
    expect(r.peakMb).toBeLessThan(ceiling);
  });

  it('import of it sealed with openssl (OAEP) refuses it alike', () => {
    const r = measured(['import', files[size].sealed, '--dry-run', '--json']);
    figure(`import sealed (${size})`, r);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0].findings.map((f: { rule: string }) => f.rule)).toEqual([
      'PDF_STREAMS_TOO_LARGE',
    ]);
    expect(r.peakMb).toBeLessThan(ceiling);
  });

  it('open refuses it sealed and writes nothing', () => {
    const out = join(tempDir('handover-objstm-open-'), 'letter.pdf');
    const r = measured(['open', files[size].sealed, '--out', out, '--json']);
    figure(`open (${size})`, r);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('PDF_STREAMS_TOO_LARGE');
    expect(existsSync(out)).toBe(false);
    expect(r.peakMb).toBeLessThan(ceiling);
  });
});

describe('the cap on what pdf-lib inflates while loading', () => {
  it('the bomb as built is a well-formed PDF that qpdf and poppler read (a small one)', async () => {
    const small = join(dir, 'small.pdf');
    writeFileSync(
      small,
      await objStmBomb(1 << 20, {
        keyPath: join(dir, 'attacker.key.pem'),
        certPath: join(dir, 'attacker.cert.pem'),
        dir,
      }),
    );
    // The object inside the stream is found through the cross-reference stream.
    const xref = execFileSync('qpdf', ['--show-xref', small], { encoding: 'utf8' });
    expect(xref).toContain('7/0: compressed; stream = 4, index = 0');
    expect(execFileSync('qpdf', ['--check', small], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors',
    );
    expect(execFileSync('pdfsig', [small], { encoding: 'utf8' })).toContain('Signature is Valid');
  });

  it('a letter saved with object streams still loads and its attachment reads back', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    doc.addPage();
    await doc.attach(Buffer.from('{"kind":"handover"}'), 'h.handover.json', { mimeType: 'application/json' });
    const bytes = await doc.save({ useObjectStreams: true });
    expect(Buffer.from(bytes).toString('latin1')).toContain('/ObjStm');
    const got = await attachedFiles(bytes, { maxBytes: 1 << 20 });
    expect(got.map((f) => Buffer.from(f.read()).toString())).toEqual(['{"kind":"handover"}']);
  });

  it('counts every object stream of one load together, not each alone', async () => {
    // Two streams of 600 KiB each: each fits a 1 MiB cap, both together do not.
    const one = await objStmBomb(600 << 10);
    const text = one.toString('latin1');
    const at = text.indexOf('4 0 obj');
    const end = text.indexOf('endobj', at) + 'endobj'.length;
    const twice = Buffer.concat([
      one.subarray(0, end),
      Buffer.from('\n'),
      Buffer.from(text.slice(at, end).replace('4 0 obj', '9 0 obj'), 'latin1'),
      one.subarray(end),
    ]);
    await expect(attachedFiles(one, { maxBytes: 1 << 20 })).resolves.toEqual([]);
    await expect(attachedFiles(twice, { maxBytes: 1 << 20 })).rejects.toMatchObject({
      code: 'PDF_STREAMS_TOO_LARGE',
      exit: 1,
    });
  });
});
