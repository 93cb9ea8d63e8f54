/**
 * `register disclosures --format pdf` (SPEC §12): the extract a youth is handed, in the youth's
 * language, signed like a letter, tagged like every PDF we write, and without the identity
 * code. Checked with poppler (pdfsig, pdfinfo, pdftotext), not with our own reader.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin, tempDir } from '../helpers/cli.js';
import { makeOrg, type Org } from '../register/orgs.js';

const CODE = '020506A951J';
let A: Org;
let docId = '';

beforeAll(async () => {
  A = await makeOrg('Pirkanmaan hyvinvointialue', '1572860-0', '837');
  const d = JSON.parse(readFileSync(join(ROOT, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'));
  d.id = randomUUID();
  d.youth.personalIdentityCode = CODE;
  d.youth.birthDate = '2006-05-02';
  docId = d.id;
  const draft = join(tempDir('handover-extract-draft-'), 'draft.json');
  writeFileSync(draft, JSON.stringify(d));
  const r = await runBin(['new', '--answers', draft, '--no-interactive', '--out', A.dir, '--json'], {
    env: A.env,
  });
  expect(r.exitCode, r.stderr).toBe(0);
}, 120_000);

describe('the extract of disclosures', () => {
  it('is written in the language asked, signed, tagged, names the receiver and never the identity code', async () => {
    const out = join(tempDir('handover-extract-'), 'utdrag.pdf');
    const r = await runBin(
      ['register', 'disclosures', '--format', 'pdf', '--out', out, '--youth-lang', 'sv', '--json'],
      { env: A.env, input: `${CODE}\n` },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).extract.file).toBe(out);
    expect(spawnSync('pdfsig', [out], { encoding: 'utf8' }).stdout).toContain('Signature is Valid.');
    expect(execFileSync('pdfinfo', [out], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Vem som har fått dina uppgifter');
    expect(text).toContain('Pohjanmaan hyvinvointialue');
    expect(text).toContain(docId.slice(0, 8));
    expect(text).not.toContain(CODE);
    expect(readFileSync(out).includes(Buffer.from(CODE))).toBe(false);
  });

  it('with no match says so in the extract too', async () => {
    const out = join(tempDir('handover-extract-'), 'ote.pdf');
    const r = await runBin(
      ['register', 'disclosures', '--format', 'pdf', '--out', out, '--youth-lang', 'fi'],
      {
        env: A.env,
        input: '010108A975Y\n',
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Emme ole antaneet tietojasi');
  });

  it('needs --out with --format pdf (exit 2)', async () => {
    const r = await runBin(['register', 'disclosures', '--format', 'pdf', '--json'], {
      env: A.env,
      input: `${CODE}\n`,
    });
    expect(r.exitCode).toBe(2);
  });
});
