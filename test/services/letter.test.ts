import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Handover } from '../../src/schema/types.js';
import { writeLetter } from '../../src/services/letter.js';
import { signDocument } from '../../src/signing/jws.js';
import { auditText } from '../helpers/audit.js';
import { tempDir } from '../helpers/cli.js';
import { pdfStructure } from '../helpers/pdf-structure.js';
import { makePki, ORG, type TestPki } from '../letter/fixtures/identity.js';

const FIXTURE = join(import.meta.dirname, '..', 'letter', 'fixtures', 'aftercare.handover.json');
// Signing time of the letters: just after the test certificates were made.
let NOW: Date;

/** The fixture's sender, Pirkanmaa: its certificate names business ID 1572860-0. */
let pki: TestPki;
let home: string;
let work: string;
let savedHome: string | undefined;

beforeAll(() => {
  pki = makePki(tempDir('handover-letter-svc-pki-'), 'Pirkanmaan hyvinvointialue', '1572860-0');
  NOW = new Date((Math.floor(Date.now() / 1000) + 1) * 1000);
});
/** The fixture as `handover new` leaves it: signed. */
async function writeSigned(path: string, edit: (d: Handover) => void = () => {}): Promise<void> {
  const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Handover;
  edit(doc);
  writeFileSync(path, `${JSON.stringify(await signDocument(doc, pki.identity, { now: NOW }), null, 2)}\n`);
}

beforeEach(async () => {
  savedHome = process.env.HANDOVER_HOME;
  home = tempDir('handover-letter-home-');
  process.env.HANDOVER_HOME = home;
  work = tempDir('handover-letter-work-');
  await writeSigned(join(work, 'case.handover.json'));
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = savedHome;
});

const run = (extra: Partial<Parameters<typeof writeLetter>[0]> = {}) =>
  writeLetter({
    file: join(work, 'case.handover.json'),
    lang: 'en',
    identity: pki.identity,
    now: NOW,
    ...extra,
  });

describe('writeLetter', () => {
  it('writes the signed letter, the youth copy and the invitation, owner-only, named without personal data', async () => {
    const out = join(work, 'out');
    const r = await run({ outDir: out, youthCopy: true });
    expect(r.letterLanguage).toBe('sv');
    expect(readdirSync(out).sort()).toEqual([
      '20260302-3f6c2a9e.cover-letter.pdf',
      '20260302-3f6c2a9e.meeting.ics',
      '20260302-3f6c2a9e.youth-copy.pdf',
    ]);
    for (const f of r.files) expect(statSync(f.path).mode & 0o777).toBe(0o600);
    expect(r.files.find((f) => f.kind === 'youth-copy')?.lang).toBe('sv');
    const letter = join(out, '20260302-3f6c2a9e.cover-letter.pdf');
    const sig = execFileSync('pdfsig', [letter], { encoding: 'utf8' });
    expect(sig).toContain('Signature is Valid');
    expect(sig).toContain('ETSI.CAdES.detached');
    expect(sig).toContain('Total document signed');
    expect(execFileSync('qpdf', ['--check', letter], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors',
    );
    const detached = tempDir('handover-letter-detach-');
    execFileSync('pdfdetach', ['-saveall', '-o', detached, letter]);
    expect(
      Buffer.compare(
        readFileSync(join(detached, '20260302-3f6c2a9e.handover.json')),
        readFileSync(join(work, 'case.handover.json')),
      ),
    ).toBe(0);
    expect(
      execFileSync('pdfsig', [join(out, '20260302-3f6c2a9e.youth-copy.pdf')], { encoding: 'utf8' }),
    ).toContain('Signature is Valid');
    // Every PDF written is tagged (SPEC §6), signature widget included, and signed after tagging.
    for (const f of r.files.filter((x) => x.path.endsWith('.pdf'))) {
      expect(execFileSync('pdfinfo', [f.path], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
      const s = pdfStructure(f.path);
      expect(s.problems).toEqual([]);
      expect(s.types).toContain('Form');
    }
    expect(r.sha256).toBe(
      execFileSync('sha256sum', [join(work, 'case.handover.json')], { encoding: 'utf8' }).split(' ')[0],
    );
  });

  it("writes the youth's copy in the language asked for (--youth-lang), which --letter-lang does not change", async () => {
    const out = join(work, 'lang');
    const r = await run({ outDir: out, youthCopy: true, letterLang: 'fi', youthLang: 'en' });
    expect(r.letterLanguage).toBe('fi');
    const copy = r.files.find((f) => f.kind === 'youth-copy');
    expect(copy?.lang).toBe('en');
    expect(execFileSync('pdftotext', [copy!.path, '-'], { encoding: 'utf8' })).toContain('Your rights');
    expect(execFileSync('pdfinfo', [copy!.path], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
  });

  it('never overwrites without force (exit 5), and writes nothing half', async () => {
    await run();
    const before = readFileSync(join(work, '20260302-3f6c2a9e.cover-letter.pdf'));
    await expect(run({ letterLang: 'fi' })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', exit: 5 });
    expect(Buffer.compare(readFileSync(join(work, '20260302-3f6c2a9e.cover-letter.pdf')), before)).toBe(0);
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const r = await run({ letterLang: 'fi', force: true });
    expect(r.letterLanguage).toBe('fi');
  });

  it('logs a letter event with the id and hash only', async () => {
    await run();
    const log = auditText(home);
    const entry = JSON.parse(log.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      event: 'letter',
      outcome: 'ok',
      handoverId: '3f6c2a9e-8b1d-4c57-9e2a-71d4b5c8e901',
    });
    expect(log).not.toMatch(/Aino|Testinen|020506A9373|Testgränd/);
  });

  it('refuses an invalid handover with exit 1 and lists the findings', async () => {
    await writeSigned(join(work, 'case.handover.json'), (d) => {
      d.youth.personalIdentityCode = '020506A9374';
    });
    const err = await run().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HANDOVER_INVALID', exit: 1 });
    expect((err as { details: { rule: string }[] }).details.map((d) => d.rule)).toContain('HETU_INVALID');
    expect(readdirSync(work)).toEqual(['case.handover.json']);
  });

  it('refuses an unsigned handover and one changed after signing, naming `handover sign`', async () => {
    copyFileSync(FIXTURE, join(work, 'case.handover.json'));
    await expect(run()).rejects.toMatchObject({ code: 'HANDOVER_UNSIGNED', exit: 1 });
    await writeSigned(join(work, 'case.handover.json'));
    const doc = JSON.parse(readFileSync(join(work, 'case.handover.json'), 'utf8')) as Handover;
    doc.notes = 'Muutettu allekirjoituksen jälkeen.';
    writeFileSync(join(work, 'case.handover.json'), JSON.stringify(doc));
    await expect(run()).rejects.toMatchObject({ code: 'HANDOVER_SIGNATURE_INVALID', exit: 1 });
    expect(readdirSync(work)).toEqual(['case.handover.json']);
  });

  it('reports a missing file as a usage error and broken JSON as invalid', async () => {
    await expect(run({ file: join(work, 'nope.json') })).rejects.toMatchObject({
      code: 'PATH_NOT_FOUND',
      exit: 2,
    });
    writeFileSync(join(work, 'case.handover.json'), '{"schemaVersion": "1.0",');
    await expect(run()).rejects.toMatchObject({ code: 'HANDOVER_INVALID', exit: 1 });
  });

  it('refuses a key whose certificate names another organisation than the sender (SIGNER_NOT_SENDER), writing nothing', async () => {
    // The Pohjanmaa key: the recipient's, not the sender's.
    const other = makePki(tempDir('handover-letter-other-pki-'), ORG, '0166906-4');
    const err = await run({ identity: other.identity, youthCopy: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SIGNER_NOT_SENDER', exit: 1, key: 'letter.SIGNER_NOT_SENDER' });
    expect((err as { vars: Record<string, string> }).vars).toMatchObject({
      certified: '0166906-4',
      sender: '1572860-0',
    });
    expect(readdirSync(work)).toEqual(['case.handover.json']);
  });

  it('refuses a certificate that names no business ID at all, writing nothing', async () => {
    const anonymous = makePki(tempDir('handover-letter-anon-pki-'));
    await expect(run({ identity: anonymous.identity })).rejects.toMatchObject({
      code: 'SIGNER_NOT_SENDER',
      key: 'letter.SIGNER_NOT_SENDER__none',
    });
    expect(readdirSync(work)).toEqual(['case.handover.json']);
  });
});
