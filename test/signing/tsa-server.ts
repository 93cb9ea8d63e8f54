/**
 * A real RFC 3161 TSA for tests: `openssl ts -reply` behind an HTTP listener on 127.0.0.1,
 * with its own certificate (critical extendedKeyUsage timeStamping) under a test root, both
 * from the shared test PKI.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { tsaFiles } from '../helpers/test-pki.js';

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
  // The TSA's root and its timeStamping certificate come from the shared test PKI.
  const files = tsaFiles(dir);
  const root = new X509Certificate(files.rootPem);
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
