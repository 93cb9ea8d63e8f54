/**
 * `show` of a sealed `.p7m` (issue 25): encrypted by openssl for our certificate, as a partner's
 * tool would, and opened with our key from the file store before it is summarised.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Show from '../../src/commands/show.js';
import { runCommand } from '../helpers/cli.js';
import { openssl } from '../signing/cms-helpers.js';
import { makeWorld, signedHandover, type World } from './seal-fixtures.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
}, 60_000);

describe('show of a sealed file', () => {
  it('opens it with our key and shows the handover inside', async () => {
    const plain = join(w.dir, 'inner.json');
    writeFileSync(plain, await signedHandover(w.sender));
    const p7m = join(w.dir, 'sealed.handover.json.p7m');
    openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-aes-256-cbc',
      '-recip',
      w.ours.certPath,
      '-keyopt',
      'rsa_padding_mode:oaep',
      '-outform',
      'DER',
      '-in',
      plain,
      '-out',
      p7m,
    ]);
    const r = await runCommand(Show, [p7m, '--key', 'ours', '--json'], w.env);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'handover', type: 'aftercare', signed: true });
  });
});
