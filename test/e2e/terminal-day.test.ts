/**
 * Prompts of a worker's day on a real terminal (tmux runs the built CLI): `trust add` shows
 * whose certificate it is before asking; `keys init --store file` asks for the passphrase,
 * masked and twice, when HANDOVER_KEY_PASSPHRASE is not set.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin, tempDir } from '../helpers/cli.js';
import { Terminal } from '../helpers/tmux.js';

const term = new Terminal('day');
afterEach(() => term.stop());

let partnerPem: string;
let fingerprint: string;

beforeAll(async () => {
  // The partner makes its pilot key on its own machine and sends the certificate.
  const partner = tempDir('handover-day-partner-');
  writeFileSync(
    join(partner, 'config.json'),
    JSON.stringify({ organization: { name: 'Österbottens välfärdsområde', businessId: '3221308-6' } }),
  );
  const env = {
    HANDOVER_HOME: partner,
    HANDOVER_KEY_PASSPHRASE: 'partner-passphrase-1',
    HANDOVER_LANG: 'en',
  };
  const init = await runBin(['keys', 'init', '--store', 'file', '--json'], { env });
  fingerprint = JSON.parse(init.stdout).certificate.fingerprint256;
  partnerPem = join(partner, 'partner.pem');
  await runBin(['keys', 'export', '--out', partnerPem], { env });
}, 60_000);

describe('on a terminal', () => {
  it('trust add names the organisation, business ID, subject and validity before asking', async () => {
    const home = tempDir('handover-day-home-');
    term.start(['trust', 'add', partnerPem], { HANDOVER_HOME: home, HANDOVER_LANG: 'fi' }, home);
    await term.waitFor('Oletko verrannut');
    const s = term.screen();
    expect(s).toContain('Varmenteen haltija:');
    expect(s).toContain('Österbottens välfärdsområde (Y-tunnus 3221308-6)');
    expect(s).toMatch(/voimassa \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/);
    expect(s).toContain(fingerprint);
    term.type('y');
    term.key('Enter');
    expect(await term.exit()).toBe('0');
  }, 60_000);
});

describe('keys init --store file on a terminal', () => {
  it('asks for the passphrase masked and twice when HANDOVER_KEY_PASSPHRASE is not set, and the key opens with it', async () => {
    const home = tempDir('handover-day-init-');
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' } }),
    );
    const pass = 'typed-on-screen-7Q';
    term.start(['keys', 'init', '--store', 'file'], { HANDOVER_HOME: home, HANDOVER_LANG: 'sv' }, home, [
      'HANDOVER_KEY_PASSPHRASE',
    ]);
    await term.waitFor('Lösenfras för den nya nyckelfilen');
    term.type(pass);
    term.key('Enter');
    await term.waitFor('Samma lösenfras igen');
    term.type('something else');
    term.key('Enter');
    await term.waitFor('Lösenfraserna skiljer sig');
    await term.waitFor(/Lösenfras för den nya nyckelfilen[\s\S]*Lösenfras för den nya nyckelfilen/);
    term.type(pass);
    term.key('Enter');
    await term.waitFor(/Samma lösenfras igen[\s\S]*Samma lösenfras igen/);
    term.type(pass);
    term.key('Enter');
    expect(await term.exit()).toBe('0');
    expect(term.screen()).not.toContain(pass);
    // The key file opens with what was typed, and only with it.
    const ok = await runBin(['keys', 'list', '--json'], {
      env: { HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: pass },
    });
    expect(JSON.parse(ok.stdout).keys[0]).toMatchObject({ store: 'file', key: 'present' });
    const sign = await runBin(
      [
        'sign',
        join(ROOT, 'test', 'letter', 'fixtures', 'aftercare.handover.json'),
        '--out',
        join(home, 'x.json'),
        '--json',
      ],
      {
        env: { HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: 'wrong' },
      },
    );
    expect(JSON.parse(sign.stdout).error.code).toBe('KEY_PASSPHRASE_WRONG');
    // And on a terminal, signing asks for it too (masked), rather than requiring the variable.
    term.stop();
    const out = join(home, 'signed.json');
    term.start(
      ['sign', join(ROOT, 'test', 'letter', 'fixtures', 'aftercare.handover.json'), '--out', out],
      { HANDOVER_HOME: home, HANDOVER_LANG: 'fi' },
      home,
      ['HANDOVER_KEY_PASSPHRASE'],
    );
    await term.waitFor('Avaintiedoston tunnuslause');
    term.type(pass);
    term.key('Enter');
    expect(await term.exit()).toBe('0');
    expect(term.screen()).not.toContain(pass);
    expect(JSON.parse(readFileSync(out, 'utf8')).signature.jws).toBeTruthy();
  }, 90_000);
});
