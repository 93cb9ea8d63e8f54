/**
 * Issue 16, item 2: a 1 MB PDF whose one Flate stream inflates to 1 GiB, named by four file
 * specifications, took 50 s and 4.3 GB before PDF_NO_ATTACHMENT. The bomb is generated here
 * as the attack built it; `import --dry-run` of the built CLI must stay under ~300 MB of
 * peak memory (GNU time's maximum resident set) and a few seconds, and say why it refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachedFiles } from '../../src/letter/attachment.js';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';
import { makeOrg, type Org } from '../register/orgs.js';

/** Deflates `size` zero bytes in 1 MiB chunks: the bomb is built without holding it. */
async function deflatedZeros(size: number): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (d: Buffer) => out.push(d));
  const chunk = Buffer.alloc(1 << 20);
  for (let done = 0; done < size; done += chunk.length)
    if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
  await new Promise((r) => z.end(r));
  return Buffer.concat(out);
}

async function bombPdf(specs: number, inflated: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage();
  const ctx = doc.context;
  const raw = ctx.stream(await deflatedZeros(inflated), {
    Type: 'EmbeddedFile',
    Subtype: 'application/json',
    Filter: 'FlateDecode',
  });
  const ref = ctx.register(raw);
  const names = [];
  for (let i = 0; i < specs; i++) {
    const name = PDFString.of(`bomb-${i}.handover.json`);
    const spec = ctx.register(ctx.obj({ Type: 'Filespec', F: name, UF: name, EF: { F: ref } }));
    names.push(name, spec);
  }
  doc.catalog.set(PDFName.of('Names'), ctx.obj({ EmbeddedFiles: ctx.obj({ Names: ctx.obj(names) }) }));
  return doc.save({ useObjectStreams: false });
}

let B: Org;
let dir: string;

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'import.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  dir = tempDir('handover-bomb-');
  writeFileSync(join(dir, 'four.pdf'), await bombPdf(4, 1 << 30));
  writeFileSync(join(dir, 'one.pdf'), await bombPdf(1, 1 << 30));
}, 120_000);

/** The built CLI under GNU time: exit code, stdout, seconds and peak resident memory in MB. */
function measured(args: string[]): { code: number | null; stdout: string; seconds: number; peakMb: number } {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, BIN, ...args], {
    env: { ...process.env, ...B.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr) ?? [];
  return { code: r.status, stdout: r.stdout, seconds: Number(m[1]), peakMb: Number(m[2]) / 1024 };
}

describe('a PDF decompression bomb', () => {
  it('is refused with little memory (the 1 GiB is never inflated): four specs naming one 1 GiB stream', () => {
    const r = measured(['import', '--dry-run', join(dir, 'four.pdf'), '--json']);
    if (process.env.HANDOVER_TEST_FIGURES)
      console.log(`bomb (4 specs, 1 GiB): ${r.seconds} s, peak ${r.peakMb.toFixed(0)} MB, exit ${r.code}`);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0].findings.map((f: { rule: string }) => f.rule)).toEqual([
      'PDF_ATTACHMENTS_MANY',
    ]);
    expect(r.peakMb).toBeLessThan(300);
  });

  it('one 1 GiB attachment is inflated only up to the cap: FILE_TOO_LARGE', () => {
    const r = measured(['import', '--dry-run', join(dir, 'one.pdf'), '--json']);
    if (process.env.HANDOVER_TEST_FIGURES)
      console.log(`bomb (1 spec, 1 GiB): ${r.seconds} s, peak ${r.peakMb.toFixed(0)} MB, exit ${r.code}`);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0].findings.map((f: { rule: string }) => f.rule)).toEqual([
      'FILE_TOO_LARGE',
    ]);
    expect(r.peakMb).toBeLessThan(300);
  });

  it('lists attachments without decoding them; read() stops at the cap', async () => {
    const files = await attachedFiles(await bombPdf(1, 64 << 20), { maxBytes: 1 << 20 });
    expect(files).toHaveLength(1);
    expect(() => files[0]!.read()).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }));
  });
});
