/**
 * Issue 22.7 and 25.10: what `seal --to` means. A path is the file, never a trust entry of the
 * same name (an office's shared store could plant one); a trust entry is found by name,
 * business ID, fingerprint or a unique prefix of its name; and the output always says whose
 * certificate the files were sealed for (organisation, business ID, SHA-256 fingerprint).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Seal from '../../src/commands/seal.js';
import { addTrusted } from '../../src/signing/trust.js';
import { runBin, runCommand, tempDir } from '../helpers/cli.js';
import { makeWorld, SENDER_BUSINESS_ID, signedHandover, type World } from '../services/seal-fixtures.js';
import { makeParty, openssl, type TestParty } from '../signing/cms-helpers.js';

let w: World;
let pohja: TestParty;
let pohjaOld: TestParty;
const fp = (p: TestParty) => p.identity.chain[0]!.fingerprint256;

function trust(pem: string, name: string): void {
  const saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = w.home;
  try {
    addTrusted(pem, name);
  } finally {
    if (saved === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved;
  }
}

beforeAll(async () => {
  w = await makeWorld();
  pohja = makeParty(w.dir, 'pohja', 'Pohjanmaan hyvinvointialue');
  pohjaOld = makeParty(w.dir, 'pohja-old', 'Pohjanmaan hyvinvointialue (vanha)');
  // The attacker's certificate, planted in the store under the name of a file.
  trust(readFileSync(w.stranger.certPath, 'utf8'), 'vaasa.pem');
  trust(readFileSync(pohja.certPath, 'utf8'), 'pohjanmaan-hyvinvointialue-osterbottens--500c2e21');
}, 60_000);

async function sealedFor(to: string, cwd?: string): Promise<{ code: number; out: string; json?: any }> {
  const work = tempDir();
  const file = join(work, 'h.handover.json');
  writeFileSync(file, await signedHandover(w.sender));
  const r = cwd
    ? await runBin(['seal', file, '--to', to, '--json'], { env: w.env, cwd })
    : await runCommand(Seal, [file, '--to', to, '--json'], w.env);
  return { code: r.exitCode, out: r.stdout, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

describe('seal --to', () => {
  it('a file ./vaasa.pem wins over a trust entry named "vaasa.pem", and the output names whose it is', async () => {
    const cwd = tempDir();
    copyFileSync(w.ours.certPath, join(cwd, 'vaasa.pem'));
    const r = await sealedFor('vaasa.pem', cwd);
    expect(r.code).toBe(0);
    expect(r.json.recipient).toMatchObject({ source: 'file', fingerprint256: fp(w.ours) });
    expect(r.json.recipient.organization).toBe('Pohjanmaan hyvinvointialue – Österbottens välfärdsområde');
    // The sealed file opens with the key of that certificate, not with the planted one's.
    const dec = openssl([
      'cms',
      '-decrypt',
      '-inform',
      'DER',
      '-in',
      r.json.files[0].output,
      '-inkey',
      w.ours.keyPath,
      '-recip',
      w.ours.certPath,
    ]);
    expect(dec.length).toBeGreaterThan(0);
  });

  it('a path that does not exist is not looked up in the trust store', async () => {
    const r = await sealedFor('vaasa.pem', tempDir());
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('RECIPIENT_NOT_FOUND');
  });

  it('a unique prefix of a long trust name resolves; the text output says organisation and fingerprint', async () => {
    const r = await sealedFor('pohjanmaa');
    expect(r.code).toBe(0);
    expect(r.json.recipient).toMatchObject({
      source: 'trust-store',
      name: 'pohjanmaan-hyvinvointialue-osterbottens--500c2e21',
      organization: 'Pohjanmaan hyvinvointialue',
      fingerprint256: fp(pohja),
    });
    const work = tempDir();
    const file = join(work, 'h.handover.json');
    writeFileSync(file, await signedHandover(w.sender));
    const text = await runCommand(Seal, [file, '--to', 'pohjanmaa'], w.env);
    expect(text.stdout).toContain('Pohjanmaan hyvinvointialue');
    expect(text.stdout).toContain(fp(pohja));
  });

  it('by business ID (a trust-store binding), naming it', async () => {
    const r = await sealedFor(SENDER_BUSINESS_ID);
    expect(r.code).toBe(0);
    expect(r.json.recipient).toMatchObject({ name: 'sender', businessId: SENDER_BUSINESS_ID });
    const work = tempDir();
    const file = join(work, 'h.handover.json');
    writeFileSync(file, await signedHandover(w.sender));
    const text = await runCommand(Seal, [file, '--to', SENDER_BUSINESS_ID, '--lang', 'fi'], w.env);
    expect(text.stdout).toContain(`Y-tunnus ${SENDER_BUSINESS_ID}`);
  });

  it('an ambiguous prefix is a usage error that lists the candidates', async () => {
    trust(readFileSync(pohjaOld.certPath, 'utf8'), 'pohjanmaan-vanha');
    const r = await sealedFor('pohjanmaan');
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('RECIPIENT_AMBIGUOUS');
    expect(r.json.error.message).toContain('pohjanmaan-hyvinvointialue-osterbottens--500c2e21');
    expect(r.json.error.message).toContain('pohjanmaan-vanha');
    // The exact name still resolves.
    expect((await sealedFor('pohjanmaan-vanha')).json.recipient.fingerprint256).toBe(fp(pohjaOld));
  });
});
