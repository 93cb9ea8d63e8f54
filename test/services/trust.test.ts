/** `trust add` on a terminal: the worker confirms the fingerprint was compared, or nothing is trusted. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { trustAdd, trustList } from '../../src/services/trust.js';
import { tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey } from '../signing/jws-pki.js';

async function inHome<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = tempDir('handover-trust-svc-');
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved;
  }
}

describe('trustAdd with a confirmation', () => {
  const cert = makeCert({ cn: 'Kumppani', key: rsaKey() });
  const file = join(tempDir(), 'partner.pem');
  writeFileSync(file, cert.toString());

  test('shows the fingerprint; a "no" adds nothing (exit 1)', () =>
    inHome(async () => {
      const shown: string[] = [];
      const err = await trustAdd({
        file,
        confirm: async (fp) => {
          shown.push(fp);
          return false;
        },
      }).catch((e: unknown) => e);
      expect(shown).toEqual([cert.fingerprint256]);
      expect(err).toMatchObject({ code: 'TRUST_NOT_CONFIRMED', exit: 1 });
      expect(trustList()).toEqual([]);
    }));

  test('a "yes" trusts it', () =>
    inHome(async () => {
      const r = await trustAdd({ file, confirm: async () => true });
      expect(r).toMatchObject({ added: true, fingerprint256: cert.fingerprint256 });
      expect(trustList().map((e) => e.fingerprint256)).toEqual([cert.fingerprint256]);
    }));
});
