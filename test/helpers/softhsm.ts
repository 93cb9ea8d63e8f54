/**
 * A real SoftHSM2 token for the PKCS#11 tests: its own SOFTHSM2_CONF and token folder, a token
 * "office" (user PIN, SO PIN), an RSA key and its certificate written with pkcs11-tool under
 * one label and CKA_ID. Keys and certificates are made with openssl at test time.
 *
 * Where SoftHSM2 or opensc is missing: in CI (CI set) the tests FAIL, since a skip there would
 * hide a broken test; elsewhere they are skipped and the reason is printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli.js';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** Why SoftHSM2 cannot be used here, or undefined when it can. */
export function softhsmMissing(): string | undefined {
  for (const tool of ['softhsm2-util', 'pkcs11-tool', 'openssl']) {
    const r = spawnSync(tool, ['--help'], { stdio: 'ignore' });
    if (r.error) return `${tool} is not installed (Debian: softhsm2, opensc)`;
  }
  if (!existsSync(SOFTHSM_MODULE)) return `${SOFTHSM_MODULE} is missing (Debian: softhsm2)`;
  return undefined;
}

/**
 * `describe` for tests that need a token: runs them when SoftHSM2 is there; in CI without it
 * runs them anyway so that they fail; elsewhere skips them and says why.
 */
export function tokenSuite(): { run: boolean; reason?: string } {
  const missing = softhsmMissing();
  if (!missing || process.env.CI) return { run: true };
  process.stderr.write(`SoftHSM2 tests skipped: ${missing}\n`);
  return { run: false, reason: missing };
}

export interface TestToken {
  dir: string;
  module: string;
  /** SOFTHSM2_CONF for this token: pass it in the environment of every command. */
  env: { SOFTHSM2_CONF: string };
  tokenLabel: string;
  keyLabel: string;
  pin: string;
  /** The key's certificate as PEM, and its file (for partners, openssl cms -recip). */
  certPem: string;
  certPath: string;
}

export interface TokenOptions {
  organization: string;
  businessId: string;
  pin: string;
  tokenLabel?: string;
  keyLabel?: string;
  /** Write the certificate object into the token too (default true). */
  withCertificate?: boolean;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): void => {
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
};

/** A fresh token with an RSA-3072 key and a certificate naming organizationIdentifier NTRFI-<businessId>. */
export function makeToken(opts: TokenOptions): TestToken {
  const missing = softhsmMissing();
  if (missing) throw new Error(`SoftHSM2 is required for this test: ${missing}`);
  const dir = tempDir('handover-softhsm-');
  const tokens = join(dir, 'tokens');
  execFileSync('mkdir', ['-p', tokens]);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const tokenLabel = opts.tokenLabel ?? 'office';
  const keyLabel = opts.keyLabel ?? 'org';
  run(
    'softhsm2-util',
    ['--init-token', '--free', '--label', tokenLabel, '--pin', opts.pin, '--so-pin', '5678'],
    env,
    dir,
  );
  run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '30',
      '-utf8',
      '-subj',
      `/C=FI/O=${opts.organization}/organizationIdentifier=NTRFI-${opts.businessId}/CN=${opts.organization}`,
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment',
    ],
    env,
    dir,
  );
  run(
    'openssl',
    ['pkcs8', '-topk8', '-nocrypt', '-in', 'key.pem', '-outform', 'DER', '-out', 'key.der'],
    env,
    dir,
  );
  run('openssl', ['x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.der'], env, dir);
  const write = (file: string, type: string) =>
    run(
      'pkcs11-tool',
      [
        '--module',
        SOFTHSM_MODULE,
        '--login',
        '--pin',
        opts.pin,
        '--token-label',
        tokenLabel,
        '--write-object',
        file,
        '--type',
        type,
        '--label',
        keyLabel,
        '--id',
        '01',
      ],
      env,
      dir,
    );
  write('key.der', 'privkey');
  if (opts.withCertificate !== false) write('cert.der', 'cert');
  // The key now lives in the token only: the test keeps no copy of it on disk.
  execFileSync('rm', ['-f', join(dir, 'key.pem'), join(dir, 'key.der')]);
  return {
    dir,
    module: SOFTHSM_MODULE,
    env: { SOFTHSM2_CONF: conf },
    tokenLabel,
    keyLabel,
    pin: opts.pin,
    certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    certPath: join(dir, 'cert.pem'),
  };
}
