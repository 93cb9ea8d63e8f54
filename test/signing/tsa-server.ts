/**
 * A real RFC 3161 TSA for tests: `openssl ts -reply` behind an HTTP listener on 127.0.0.1,
 * with its own certificate (critical extendedKeyUsage timeStamping) under a test root.
 */
import { execFileSync } from 'node:child_process';
import type { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey } from './jws-pki.js';

export interface TestTsa {
  url: string;
  dir: string;
  root: X509Certificate;
  close(): Promise<void>;
}

export async function startTsa(): Promise<TestTsa> {
  const dir = tempDir('handover-tsa-');
  const ssl = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const rootKey = rsaKey();
  const root = makeCert({ cn: 'Testi TSA-juuri', key: rootKey, ca: true });
  writeFileSync(join(dir, 'root.pem'), root.toString());
  writeFileSync(join(dir, 'root.key'), rootKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(
    join(dir, 'tsa.ext'),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\n',
  );
  ssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/CN=Testi TSA',
  ]);
  ssl([
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'tsa.ext',
    '-out',
    'tsa.pem',
  ]);
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[tsa]',
      'default_tsa = t',
      '[t]',
      `serial = ${dir}/tsaserial`,
      `signer_cert = ${dir}/tsa.pem`,
      `certs = ${dir}/tsa.pem`,
      `signer_key = ${dir}/tsa.key`,
      'signer_digest = sha256',
      'default_policy = 1.2.246.999.1',
      'digests = sha256',
      'accuracy = secs:1',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  let n = 0;
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      n++;
      const q = join(dir, `q${n}.tsq`);
      const r = join(dir, `r${n}.tsr`);
      writeFileSync(q, Buffer.concat(parts));
      ssl(['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q, '-out', r]);
      // One request per connection: no kept-alive socket for the server to close under a reuse.
      res.writeHead(200, { 'content-type': 'application/timestamp-reply', connection: 'close' });
      res.end(readFileSync(r));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`,
    dir,
    root,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
