/** `sign` never produces a signature the receiver must refuse as SIGNER_NOT_SENDER. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { saveConfig } from '../../src/config/store.js';
import { signFile } from '../../src/services/sign.js';
import { as, handover, makeOrg, type Org } from '../register/orgs.js';
import { makeWorld, PASSPHRASE, SENDER_BUSINESS_ID, type World } from './seal-fixtures.js';

let A: Org;
let C: Org;
let w: World;

/** The seal fixtures' home: a key whose openssl certificate names no business ID. */
async function inWorld<T>(fn: () => T | Promise<T>): Promise<T> {
  const saved = { h: process.env.HANDOVER_HOME, p: process.env.HANDOVER_KEY_PASSPHRASE };
  process.env.HANDOVER_HOME = w.home;
  process.env.HANDOVER_KEY_PASSPHRASE = PASSPHRASE;
  try {
    return await fn();
  } finally {
    for (const [k, v] of [
      ['HANDOVER_HOME', saved.h],
      ['HANDOVER_KEY_PASSPHRASE', saved.p],
    ] as const)
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

beforeAll(async () => {
  A = await makeOrg('Länsi-Testin hyvinvointialue', '0166906-4', '020');
  C = await makeOrg('Pohjois-Testin hyvinvointialue', '1572860-0', '005');
  w = await makeWorld();
});

describe('sign refuses to speak for another organisation', () => {
  test('a certificate naming C cannot sign a handover whose sender is A: exit 1, nothing written', async () => {
    const file = join(C.dir, 'a-as-sender.json');
    writeFileSync(file, JSON.stringify(handover(A, C)));
    const err = await as(C, () => signFile({ file })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SIGNER_NOT_SENDER', exit: 1 });
    expect(existsSync(join(C.dir, 'a-as-sender.signed.json'))).toBe(false);
  });

  test('a certificate without business ID speaks for the configured organisation only', async () => {
    await inWorld(() => saveConfig({ organization: { name: 'Testi', businessId: SENDER_BUSINESS_ID } }));
    const other = join(w.dir, 'other.json');
    writeFileSync(other, JSON.stringify(handover(A, C)));
    const err = await inWorld(() => signFile({ file: other, alias: 'ours', store: 'file' })).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'SIGNER_NOT_SENDER', exit: 1 });
    const ours = join(w.dir, 'ours.json');
    const doc = handover(A, C);
    doc.sender.organization.businessId = SENDER_BUSINESS_ID;
    writeFileSync(ours, JSON.stringify(doc));
    const ok = await inWorld(() => signFile({ file: ours, alias: 'ours', store: 'file' }));
    expect(ok.output).toBe(join(w.dir, 'ours.signed.json'));
  });
});
