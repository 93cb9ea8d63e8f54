// Part 6 of `npm run bench`: `handover verify` of a signed 10 MB handover file, 100 times,
// three at a time, on the built CLI (the attack of issue 16 item 9, where some runs never
// exited). Prints the wall time, runs per second and every exit code seen; test/e2e/limits
// keeps the behaviour (each run exits) with six runs. Needs a build.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = (p) => import(join(root, 'dist', p));
const { loadSigningIdentity } = await dist('keystore/index.js');
const { signDocument } = await dist('signing/jws.js');
const { PASSPHRASE, as, makeOrgs, signedHandovers } = await import('./bench-orgs.mjs');

const RUNS = Number(process.env.BENCH_LIMITS_RUNS ?? 100);
const PARALLEL = 3;
const base = join(root, '.bench', 'limits');
rmSync(base, { recursive: true, force: true });

const { A, B } = await makeOrgs(base);
const [one] = await signedHandovers(A, B, join(base, 'signed'), 1);
const doc = JSON.parse(readFileSync(one, 'utf8'));
delete doc.signature;
doc.notes = 'x'.repeat(10 * 1024 * 1024);
const big = join(base, 'big.json');
writeFileSync(big, JSON.stringify(await as(A, async () => signDocument(doc, await loadSigningIdentity()))));

const env = {
  ...process.env,
  HANDOVER_HOME: B.home,
  HANDOVER_KEY_PASSPHRASE: PASSPHRASE,
  HANDOVER_LANG: 'en',
};
const verify = () =>
  new Promise((done) => {
    const child = spawn(
      process.execPath,
      [join(root, 'bin', 'run.js'), 'verify', big, '--max-size', '20480', '--json'],
      {
        env,
        stdio: 'ignore',
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done(code ?? (signal ? 128 : 1));
    });
  });

const codes = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    while (next < RUNS) {
      next++;
      codes.push(await verify());
    }
  }),
);
const s = (performance.now() - t0) / 1000;
const failed = codes.filter((c) => c !== 0).length;
console.log(
  `verify of a 10 MB file x${RUNS} (${PARALLEL} at a time): ${s.toFixed(1)} s, ${(RUNS / s).toFixed(2)} runs/s, exit codes ${[...new Set(codes)].join(',')}${failed ? ` — ${failed} failed or hung` : ''}`,
);
rmSync(base, { recursive: true, force: true });
if (failed) process.exitCode = 1;
