/**
 * Issue 16, item 3: an unsigned file whose organisation name cleared the screen and set the
 * window title was rejected but stored, and `register list` and `show` printed it raw. Now
 * the file is refused by CONTROL_CHARACTER and every printer escapes what it prints.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeControl, jsonText } from '../../src/io/escape.js';
import { runBin, tempDir } from '../helpers/cli.js';
import { handover, makeOrg, type Org } from '../register/orgs.js';

/** Any control character but the line feed and tab of a printer's own layout. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the assertions are about them
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HOSTILE = 'Evil\u001b[2J\u001b]0;owned\u0007 Oy\u009b31m\rX';

describe('escapeControl', () => {
  it('makes C0, C1 and DEL visible, keeping line feed and tab unless inline', () => {
    expect(escapeControl(HOSTILE)).toBe('Evil\\u001B[2J\\u001B]0;owned\\u0007 Oy\\u009B31m\\u000DX');
    expect(escapeControl('a\tb\nc\u007f')).toBe('a\tb\nc\\u007F');
    expect(escapeControl('a\tb\nc', { inline: true })).toBe('a\\u0009b\\u000Ac');
  });

  it('jsonText: the same JSON, with no raw C1 character', () => {
    const v = { name: HOSTILE };
    const text = jsonText(v, 2);
    expect(JSON.parse(text)).toEqual(v);
    expect(text).not.toMatch(RAW_CONTROL);
  });
});

describe('printers, end to end (built CLI)', () => {
  let B: Org;
  let file: string;
  beforeAll(async () => {
    const A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
    B = await makeOrg('Vastaanottaja', '2082259-7', '091');
    const doc = handover(A, B);
    doc.sender.organization.name = 'Evil\u001b[2J\u001b]0;owned\u0007 Oy\u009b31m';
    file = join(tempDir('handover-esc-'), 'evil.json');
    writeFileSync(file, JSON.stringify(doc));
  }, 60_000);

  it('validate refuses it with CONTROL_CHARACTER; import, register list and show print no control character', async () => {
    const v = await runBin(['validate', file], { env: B.env });
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toContain('CONTROL_CHARACTER');
    const i = await runBin(['import', file], { env: B.env });
    const l = await runBin(['register', 'list'], { env: B.env });
    const s = await runBin(['show', file], { env: B.env });
    const sj = await runBin(['show', file, '--json'], { env: B.env });
    expect(l.stdout).toContain('Evil');
    for (const r of [v, i, l, s, sj]) expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  }, 60_000);
});
