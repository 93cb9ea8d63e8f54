import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Open from '../../src/commands/open.js';
import Seal from '../../src/commands/seal.js';
import { runBin, runCommand, tempDir } from '../helpers/cli.js';
import { makeWorld, signedHandover, type World } from '../services/seal-fixtures.js';
import { openssl } from '../signing/cms-helpers.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('--json', () => {
  it('seal then open round-trips and prints only the results', async () => {
    const work = tempDir();
    const file = join(work, '20260301-6f1c2d3e.handover.json');
    const bytes = await signedHandover(w.sender);
    writeFileSync(file, bytes);
    const s = await runCommand(Seal, [file, '--to', 'ours', '--json'], w.env);
    expect(s.exitCode).toBe(0);
    const sealed = JSON.parse(s.stdout);
    expect(sealed.files[0].output).toBe(`${file}.p7m`);
    const o = await runCommand(
      Open,
      [`${file}.p7m`, '--key', 'ours', '--out', join(work, 'in.json'), '--json'],
      w.env,
    );
    expect(o.exitCode).toBe(0);
    expect(JSON.parse(o.stdout)).toMatchObject({
      kind: 'handover',
      verified: true,
      sha256: sealed.files[0].sha256,
    });
    expect(Buffer.compare(readFileSync(join(work, 'in.json')), bytes)).toBe(0);
  });

  it('gives the error code and exit 1 for a file not for our key', async () => {
    const work = tempDir();
    const file = join(work, 'h.json');
    writeFileSync(file, await signedHandover(w.sender));
    await runCommand(Seal, [file, '--to', w.stranger.certPath], w.env);
    const o = await runCommand(Open, [`${file}.p7m`, '--key', 'ours', '--json'], w.env);
    expect(o.exitCode).toBe(1);
    const err = JSON.parse(o.stdout).error;
    expect(err.code).toBe('P7M_NOT_FOR_US');
    expect(err.message).toContain('not encrypted for this key');
    expect(err.message).toContain('Muu Organisaatio');
  });
});

describe('human output', () => {
  it('explains PKCS#1 v1.5 and how to re-encrypt, in Swedish too', async () => {
    const work = tempDir();
    const plain = join(work, 'p.json');
    writeFileSync(plain, await signedHandover(w.sender));
    openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-aes256',
      '-in',
      plain,
      '-out',
      `${plain}.p7m`,
      '-outform',
      'DER',
      '-recip',
      w.ours.certPath,
    ]);
    const en = await runCommand(Open, [`${plain}.p7m`, '--key', 'ours'], w.env);
    expect(en.exitCode).toBe(1);
    expect(en.stderr).toContain('PKCS#1 v1.5');
    expect(en.stderr).toContain('-keyopt rsa_padding_mode:oaep');
    const sv = await runCommand(Open, [`${plain}.p7m`, '--key', 'ours', '--lang', 'sv'], w.env);
    expect(sv.stderr).toContain('Marvin-attacken');
  });

  it('a missing --to is a usage error', async () => {
    const r = await runCommand(Seal, ['x.json'], w.env);
    expect(r.exitCode).toBe(2);
  });
});

describe('built CLI with the openssl CLI on the other side', () => {
  it('seal → openssl decrypts identical; openssl encrypts → open; tampering → exit 1, nothing written', async () => {
    const work = tempDir();
    const file = join(work, 'doc.handover.json');
    const bytes = await signedHandover(w.sender);
    writeFileSync(file, bytes);
    const s = await runBin(['seal', file, '--to', 'ours'], { env: w.env });
    expect(s.exitCode).toBe(0);
    const dec = openssl([
      'cms',
      '-decrypt',
      '-inform',
      'DER',
      '-in',
      `${file}.p7m`,
      '-inkey',
      w.ours.keyPath,
      '-recip',
      w.ours.certPath,
    ]);
    expect(Buffer.compare(dec, bytes)).toBe(0);

    const theirs = join(work, 'theirs.json.p7m');
    openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-aes256',
      '-in',
      file,
      '-out',
      theirs,
      '-outform',
      'DER',
      '-recip',
      w.ours.certPath,
      '-keyopt',
      'rsa_padding_mode:oaep',
      '-keyopt',
      'rsa_oaep_md:sha256',
    ]);
    const o = await runBin(['open', theirs, '--key', 'ours'], { env: w.env });
    expect(o.exitCode).toBe(0);
    expect(Buffer.compare(readFileSync(join(work, 'theirs.json')), bytes)).toBe(0);

    const bad = readFileSync(theirs);
    bad[bad.length - 40] = (bad[bad.length - 40] ?? 0) ^ 0x20;
    writeFileSync(join(work, 'bad.json.p7m'), bad);
    const t = await runBin(['open', join(work, 'bad.json.p7m'), '--key', 'ours'], { env: w.env });
    expect(t.exitCode).toBe(1);
    expect(t.stderr).toMatch(/P7M_DECRYPT_FAILED|INNER_NOT_VERIFIED/);
    expect(t.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work, 'bad.json'))).toBe(false);
  });
});
