import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import New from '../../src/commands/new.js';
import { validateFile } from '../../src/services/validate/index.js';
import { auditText } from '../helpers/audit.js';
import { ROOT, runCommand, tempDir } from '../helpers/cli.js';

const EXAMPLE = join(ROOT, 'templates', 'examples', 'aftercare.handover.json');
const MINIMAL = join(ROOT, 'templates', 'examples', 'minimal.draft.json');

function home(withProfile: boolean): string {
  const h = tempDir();
  if (withProfile)
    writeFileSync(
      join(h, 'config.json'),
      JSON.stringify({
        organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' },
        contact: { name: 'Sari Esimerkki', email: 'sari.esimerkki@example.fi' },
        backupContact: { name: 'Timo Testaaja', phone: '+358 40 000 0003' },
      }),
    );
  return h;
}

type Err = { error: { code: string; exit: number; details: { rule: string; pointer: string }[] } };

describe('new --no-interactive', () => {
  it('lists every missing field of the minimal draft in one run, exit 1, nothing written', async () => {
    const out = tempDir();
    const r = await runCommand(
      New,
      ['--answers', MINIMAL, '--no-interactive', '--no-sign', '--out', out, '--json'],
      {
        HANDOVER_HOME: home(false),
      },
    );
    expect(r.exitCode).toBe(1);
    const e = (JSON.parse(r.stdout) as Err).error;
    expect(e.code).toBe('ANSWERS_INCOMPLETE');
    expect(e.details.map((d) => `${d.rule} ${d.pointer}`)).toEqual([
      'SCHEMA /sender/organization/name',
      'SCHEMA /sender/organization/businessId',
      'SCHEMA /sender/contact',
      'SCHEMA /consent',
    ]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('takes the sender from the saved profile; a consent without its details is CONSENT_INCOMPLETE', async () => {
    const draft = JSON.parse(readFileSync(MINIMAL, 'utf8'));
    draft.consent = { basis: 'consent', recordedBy: 'Sari Esimerkki', scope: ['identity'] };
    draft.youth.personalIdentityCode = '020506A952L';
    const file = join(tempDir(), 'draft.json');
    writeFileSync(file, JSON.stringify(draft));
    const r = await runCommand(New, ['--answers', file, '--no-interactive', '--no-sign', '--json'], {
      HANDOVER_HOME: home(true),
    });
    expect(r.exitCode).toBe(1);
    const rules = (JSON.parse(r.stdout) as Err).error.details.map((d) => `${d.rule} ${d.pointer}`);
    expect(rules).toEqual([
      'CONSENT_INCOMPLETE /consent/givenOn',
      'CONSENT_INCOMPLETE /consent/method',
      'HETU_INVALID /youth/personalIdentityCode',
    ]);
  });

  it('refuses data outside the consent scope instead of writing it', async () => {
    const draft = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    draft.consent.scope = ['identity', 'entitlement', 'clientPlan', 'services', 'finances'];
    const file = join(tempDir(), 'draft.json');
    writeFileSync(file, JSON.stringify(draft));
    const out = tempDir();
    const r = await runCommand(
      New,
      ['--answers', file, '--no-interactive', '--no-sign', '--out', out, '--json'],
      {
        HANDOVER_HOME: home(false),
      },
    );
    expect(r.exitCode).toBe(1);
    const d = (JSON.parse(r.stdout) as Err).error.details;
    expect(d.filter((x) => x.rule === 'CONSENT_SCOPE').map((x) => x.pointer)).toEqual([
      '/youth/contact',
      '/clientPlan/goals/1',
      '/services/3',
    ]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('writes a complete draft as a valid 0600 file named without personal data, and never overwrites', async () => {
    const out = tempDir();
    const h = home(false);
    const args = ['--answers', EXAMPLE, '--no-interactive', '--no-sign', '--out', out, '--json'];
    const r = await runCommand(New, args, { HANDOVER_HOME: h });
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout) as { file: string; id: string; signed: boolean; letterLanguage: string };
    expect(res.file).toBe(join(out, '20261120-3f6c2a1e.handover.json'));
    expect(res).toMatchObject({
      id: '3f6c2a1e-8b4d-4c2f-9a7e-5d1b0c9e8f21',
      signed: false,
      letterLanguage: 'fi',
    });
    expect(statSync(res.file).mode & 0o777).toBe(0o600);
    expect(validateFile(res.file, { lang: 'en' }).valid).toBe(true);
    const audit = auditText(h)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ event: 'create', outcome: 'ok', handoverId: res.id });
    expect(auditText(h)).not.toContain('Keksitty');

    const again = await runCommand(New, args, { HANDOVER_HOME: h });
    expect(again.exitCode).toBe(5);
    expect((JSON.parse(again.stdout) as Err).error.code).toBe('OUTPUT_EXISTS');
    expect((await runCommand(New, [...args, '--force'], { HANDOVER_HOME: h })).exitCode).toBe(0);
  });

  it('a draft without id or createdAt gets a new id and the --now time', async () => {
    const draft = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    delete draft.id;
    delete draft.createdAt;
    const file = join(tempDir(), 'draft.json');
    writeFileSync(file, JSON.stringify(draft));
    const out = tempDir();
    const r = await runCommand(
      New,
      [
        '--answers',
        file,
        '--no-interactive',
        '--no-sign',
        '--out',
        out,
        '--json',
        '--now',
        '2026-11-21T08:30:00Z',
      ],
      { HANDOVER_HOME: home(false) },
    );
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout) as { file: string; id: string };
    expect(res.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.id).not.toBe('3f6c2a1e-8b4d-4c2f-9a7e-5d1b0c9e8f21');
    expect(res.file).toBe(join(out, `20261121-${res.id.slice(0, 8)}.handover.json`));
    const doc = JSON.parse(readFileSync(res.file, 'utf8'));
    expect(Date.parse(doc.createdAt)).toBe(Date.parse('2026-11-21T08:30:00Z'));
  });

  it('a draft that is not JSON is exit 1; a missing draft file is exit 2', async () => {
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(bad, '{"type": ');
    const h = home(true);
    expect(
      (await runCommand(New, ['--answers', bad, '--no-interactive', '--no-sign'], { HANDOVER_HOME: h }))
        .exitCode,
    ).toBe(1);
    const missing = await runCommand(New, ['--answers', join(tempDir(), 'x.json'), '--no-sign'], {
      HANDOVER_HOME: h,
    });
    expect(missing.exitCode).toBe(2);
  });
});

describe('new signs by default', () => {
  it('signs with a file-backend key; the signature verifies; without a key it exits 4 and writes nothing', async () => {
    const { default: KeysInit } = await import('../../src/commands/keys/init.js');
    const { verifyDocument } = await import('../../src/signing/jws.js');
    const h = home(true);
    const env = { HANDOVER_HOME: h, HANDOVER_KEY_PASSPHRASE: 'testi-salasana-pitkä' };
    const out = tempDir();
    const noKey = await runCommand(
      New,
      ['--answers', EXAMPLE, '--no-interactive', '--out', out, '--store', 'file', '--json'],
      env,
    );
    expect(noKey.exitCode).toBe(4);
    expect(readdirSync(out)).toEqual([]);

    expect((await runCommand(KeysInit, ['--store', 'file'], env)).exitCode).toBe(0);
    const r = await runCommand(New, ['--answers', EXAMPLE, '--no-interactive', '--out', out, '--json'], env);
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout) as {
      file: string;
      files: string[];
      signed: boolean;
      letterLanguage: string;
    };
    expect(res.signed).toBe(true);
    // The recipient municipality (Vaasa, bilingual with a Finnish majority) gives a Finnish letter.
    expect(res.letterLanguage).toBe('fi');
    expect(res.files.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      '20261120-3f6c2a1e.cover-letter.pdf',
      '20261120-3f6c2a1e.handover.json',
      '20261120-3f6c2a1e.meeting.ics',
    ]);
    const pdf = res.files.find((f) => f.endsWith('.pdf'))!;
    expect(statSync(pdf).mode & 0o777).toBe(0o600);
    expect(execFileSync('pdfsig', [pdf], { encoding: 'utf8' })).toContain('Signature is Valid');
    // The letter carries the handover file byte for byte.
    const attached = join(tempDir(), 'attached.json');
    execFileSync('pdfdetach', ['-save', '1', '-o', attached, pdf]);
    expect(readFileSync(attached)).toEqual(readFileSync(res.file));
    const doc = JSON.parse(readFileSync(res.file, 'utf8'));
    expect(doc.signature.jws).toMatch(/^[\w-]+\.\.[\w-]+$/);
    const { loadChain } = await import('../../src/keystore/index.js');
    const saved = process.env.HANDOVER_HOME;
    process.env.HANDOVER_HOME = h;
    const chain = loadChain('default');
    process.env.HANDOVER_HOME = saved;
    expect((await verifyDocument(doc, { trustAnchors: chain })).status).toBe('valid');
    doc.youth.name.given = 'Muutettu';
    expect((await verifyDocument(doc, { trustAnchors: chain })).status).toBe('invalid');

    // --youth-lang picks the copy's language over the youth's own (sv here); the copy is tagged.
    const other = join(tempDir(), 'other.json');
    writeFileSync(
      other,
      JSON.stringify({
        ...JSON.parse(readFileSync(EXAMPLE, 'utf8')),
        id: '7a1b2c3d-8b4d-4c2f-9a7e-5d1b0c9e8f21',
      }),
    );
    const again = await runCommand(
      New,
      ['--answers', other, '--no-interactive', '--out', out, '--youth-copy', '--youth-lang', 'en', '--json'],
      env,
    );
    expect(again.exitCode).toBe(0);
    const copy = join(out, '20261120-7a1b2c3d.youth-copy.pdf');
    expect(execFileSync('pdftotext', [copy, '-'], { encoding: 'utf8' })).toContain('Your rights');
    expect(execFileSync('pdfinfo', [copy], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
    expect(execFileSync('pdfsig', [copy], { encoding: 'utf8' })).toContain('Signature is Valid');
  });
});

describe('new --seal-to', () => {
  it('seals every output file for the recipient, whose key alone opens them to identical bytes', async () => {
    const { makeOrg, as } = await import('../register/orgs.js');
    const { open } = await import('../../src/services/open.js');
    const { addTrusted } = await import('../../src/signing/trust.js');
    const a = await makeOrg('Pirkanmaan hyvinvointialue', '1572860-0', '837');
    const b = await makeOrg('Pohjanmaan hyvinvointialue', '0166906-4', '905');
    await as(a, () => addTrusted(b.certPem, 'pohjanmaa'));
    await as(b, () => addTrusted(a.certPem, 'pirkanmaa'));
    const out = tempDir();

    const unknown = await runCommand(
      New,
      ['--answers', EXAMPLE, '--no-interactive', '--out', out, '--seal-to', 'nobody'],
      a.env,
    );
    expect(unknown.exitCode).toBe(2);
    expect(readdirSync(out)).toEqual([]);

    const r = await runCommand(
      New,
      ['--answers', EXAMPLE, '--no-interactive', '--out', out, '--seal-to', 'pohjanmaa', '--json'],
      a.env,
    );
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout) as { file: string; files: string[]; sealed: string[] };
    expect(res.sealed.map((f) => f.slice(out.length + 1)).sort()).toEqual([
      '20261120-3f6c2a1e.cover-letter.pdf.p7m',
      '20261120-3f6c2a1e.handover.json.p7m',
      '20261120-3f6c2a1e.meeting.ics.p7m',
    ]);
    const p7m = res.sealed.find((f) => f.endsWith('.handover.json.p7m'))!;
    expect(statSync(p7m).mode & 0o777).toBe(0o600);
    const opened = tempDir();
    await as(b, () => open({ file: p7m, out: opened }));
    expect(readFileSync(join(opened, '20261120-3f6c2a1e.handover.json'))).toEqual(readFileSync(res.file));
    // Whose certificate it was (issue 22.7), and the sealed letter imports (issue 22.14).
    expect((JSON.parse(r.stdout) as { sealedFor: unknown }).sealedFor).toMatchObject({
      organization: 'Pohjanmaan hyvinvointialue',
      businessId: '0166906-4',
      source: 'trust-store',
    });
    const { importFiles } = await import('../../src/services/import/index.js');
    const letter = res.sealed.find((f) => f.endsWith('.cover-letter.pdf.p7m'))!;
    const imported = await as(b, () => importFiles({ files: [letter], lang: 'en', out: tempDir() }));
    expect(imported.files[0]).toMatchObject({ kind: 'handover', outcome: 'accepted', findings: [] });
  });
});
