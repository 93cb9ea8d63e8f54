// Part 5 of `npm run bench`: signed handover files imported per second in-process (verify,
// validate, register, signed receipt, audit: everything `handover import` does, with every
// fsync), and the wall time of one `handover import` run of the built CLI on one file.
// Two organisations with file-store keys in temporary HANDOVER_HOMEs under .bench/; the
// keys are made here and removed with the folder. Needs a build.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = (p) => import(join(root, 'dist', p));
const { importFiles } = await dist('services/import/index.js');
const { PASSPHRASE, as, makeOrgs, signedHandovers } = await import('./bench-orgs.mjs');

const N = Number(process.env.BENCH_IMPORT_FILES ?? 1000);
const SUBPROCESS_RUNS = 5;
const base = join(root, '.bench', 'import');
rmSync(base, { recursive: true, force: true });

const { A, B } = await makeOrgs(base);
const files = await signedHandovers(A, B, join(base, 'inbox'), N + SUBPROCESS_RUNS);
const batch = files.slice(0, N);
const singles = files.slice(N);

// A short warm-up on files outside the measured batch would register them; instead the
// measured run includes the first-file costs (module loading, key decryption), as a user sees.
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await as(B, () => importFiles({ files: batch, lang: 'en' }));
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
if (r.exit !== 0 || r.summary.accepted !== N) {
  console.error(JSON.stringify(r.summary), JSON.stringify(r.files.find((f) => f.outcome !== 'accepted')));
  throw new Error('import bench: not every file was accepted');
}
const perSec = N / seconds;
console.log(
  `import ${N.toLocaleString('en')} files in-process: ${perSec.toFixed(0)} files/s (${seconds.toFixed(2)} s; goal ≥ 200; ` +
    `${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} CPU-ms per file on all threads; load average ${loadavg()[0].toFixed(2)})`,
);

// One `handover import` run end to end: start-up, key store, verify, register, receipt, audit.
const env = { ...process.env, HANDOVER_HOME: B.home, HANDOVER_KEY_PASSPHRASE: PASSPHRASE };
const times = [];
for (const file of singles) {
  const t = performance.now();
  const p = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), 'import', file, '--json'], {
    env,
    encoding: 'utf8',
  });
  if (p.status !== 0) throw new Error(`handover import failed (${p.status}): ${p.stderr}`);
  times.push(performance.now() - t);
}
times.shift(); // the first run fills the compile cache
times.sort((a, b) => a - b);
console.log(
  `handover import (one file, wall time): ${times[Math.floor(times.length / 2)].toFixed(0)} ms (median of ${times.length})`,
);
rmSync(base, { recursive: true, force: true });
