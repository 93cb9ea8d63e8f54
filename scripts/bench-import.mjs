// Part 5 of `npm run bench`: signed handover files imported per second in-process (verify,
// validate, register, signed receipt, audit: everything `handover import` does, with every
// fsync), and the wall time of one `handover import` run of the built CLI on one file.
// Two organisations with file-store keys in temporary HANDOVER_HOMEs under .bench/; the
// keys are made here and removed with the folder. Needs a build.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = (p) => import(join(root, 'dist', p));
const { saveConfig } = await dist('config/store.js');
const { initKey, exportKey } = await dist('services/keys.js');
const { addTrusted } = await dist('signing/trust.js');
const { loadSigningIdentity } = await dist('keystore/index.js');
const { signDocument } = await dist('signing/jws.js');
const { importFiles } = await dist('services/import/index.js');

const N = Number(process.env.BENCH_IMPORT_FILES ?? 1000);
const SUBPROCESS_RUNS = 5;
const PASSPHRASE = 'bench-only-passphrase';
const base = join(root, '.bench', 'import');
rmSync(base, { recursive: true, force: true });

function as(org, fn) {
  process.env.HANDOVER_HOME = org.home;
  process.env.HANDOVER_KEY_PASSPHRASE = PASSPHRASE;
  return fn();
}

async function makeOrg(tag, name, businessId, municipalityCode) {
  const org = { name, businessId, home: join(base, `${tag}-home`), dir: join(base, `${tag}-files`) };
  mkdirSync(org.home, { recursive: true, mode: 0o700 });
  mkdirSync(org.dir, { recursive: true, mode: 0o700 });
  await as(org, async () => {
    saveConfig({
      organization: { name, businessId, municipalityCode },
      contact: { name: `Työntekijä ${municipalityCode}`, email: `worker${municipalityCode}@example.fi` },
      defaults: { keyStore: 'file', outputFolder: org.dir },
    });
    await initKey({ store: 'file' });
    org.certPem = (await exportKey({})).pem;
  });
  return org;
}

const A = await makeOrg('a', 'Pirkanmaan hyvinvointialue', '1572860-0', '837');
const B = await makeOrg('b', 'Pohjanmaan hyvinvointialue', '0166906-4', '905');
as(A, () => addTrusted(B.certPem));
as(B, () => addTrusted(A.certPem));

// The example handover, from A to B, each copy with a fresh id.
const example = JSON.parse(
  readFileSync(join(root, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'),
);
delete example.signature;
const inbox = join(base, 'inbox');
mkdirSync(inbox, { recursive: true });
const files = await as(A, async () => {
  const id = await loadSigningIdentity();
  const made = [];
  for (let i = 0; i < N + SUBPROCESS_RUNS; i++) {
    const doc = structuredClone(example);
    doc.id = randomUUID();
    doc.sender.organization = { ...doc.sender.organization, name: A.name, businessId: A.businessId };
    doc.recipient.organization = { ...doc.recipient.organization, name: B.name, businessId: B.businessId };
    const path = join(inbox, `${String(i).padStart(6, '0')}.handover.json`);
    writeFileSync(path, `${JSON.stringify(await signDocument(doc, id), null, 2)}\n`);
    made.push(path);
  }
  return made;
});
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
