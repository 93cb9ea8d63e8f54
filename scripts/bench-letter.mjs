// Part 4 of `npm run bench`: signed cover letters per second in-process (render PDF/A-3 with
// the handover attached + PAdES signature, RSA-3072), and the wall time of one
// `handover letter` run of the built CLI. Needs a build. Keys are made here, never stored
// outside .bench/.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = (p) => join(root, 'dist', p);
const { signedCoverLetter } = await import(dist('documents/letter-files.js'));
const { createSelfSigned } = await import(dist('signing/certs.js'));
const { signDocument } = await import(dist('signing/jws.js'));
const { softwareKey } = await import(dist('keystore/software.js'));

// An issuer with ä and ö (the kind of name that once broke PDF signatures), naming the
// example's sender: a letter is signed only with the sender's own key (SPEC §7).
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
const cert = await createSelfSigned({
  privateKey,
  organizationName: 'Pirkanmaan hyvinvointialue – Birkalands välfärdsområde, Jälkihuolto Övre',
  businessId: '1572860-0',
});
const identity = { alias: 'bench', key: softwareKey(privateKey), chain: [cert] };
const example = JSON.parse(
  readFileSync(join(root, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'),
);
const doc = await signDocument(example, identity);
const bytes = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);

for (let i = 0; i < 5; i++) await signedCoverLetter(doc, bytes, identity, 'fi');
const n = 50;
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < n; i++) await signedCoverLetter(doc, bytes, identity, i % 2 ? 'sv' : 'fi');
const perSec = n / ((performance.now() - t0) / 1000);
const cpu = process.cpuUsage(c0);
// CPU time as well: on a shared machine the wall clock also counts other people's work.
const perCpuSec = n / ((cpu.user + cpu.system) / 1e6);
console.log(
  `signed cover letters: ${perSec.toFixed(1)} per second in-process (${n} letters, fi and sv; goal ≥ 20); ${perCpuSec.toFixed(1)} per CPU-second`,
);

// One `handover letter` run end to end: start-up, validation, key store, render, sign, write.
const home = join(root, '.bench', 'letter-home');
rmSync(home, { recursive: true, force: true });
mkdirSync(home, { recursive: true });
writeFileSync(
  join(home, 'config.json'),
  JSON.stringify({
    organization: { name: 'Pirkanmaan hyvinvointialue', businessId: '1572860-0' },
    defaults: { keyStore: 'file' },
  }),
);
const env = { ...process.env, HANDOVER_HOME: home, HANDOVER_KEY_PASSPHRASE: 'bench-only-passphrase' };
const bin = join(root, 'bin', 'run.js');
const run = (args) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
if (run(['keys', 'init', '--json']).status !== 0) throw new Error('keys init failed');
const file = join(home, 'example.handover.json');
writeFileSync(file, readFileSync(join(root, 'templates', 'examples', 'aftercare.handover.json')));
if (run(['sign', file, '--in-place', '--json']).status !== 0) throw new Error('sign failed');
const times = [];
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  const r = run(['letter', file, '--out', join(home, 'out'), '--force', '--json']);
  if (r.status !== 0) throw new Error(`handover letter failed: ${r.stderr}`);
  if (i > 0) times.push(performance.now() - t); // the first run fills the compile cache
}
times.sort((a, b) => a - b);
console.log(
  `handover letter (one file, wall time): ${times[Math.floor(times.length / 2)].toFixed(0)} ms (median of ${times.length})`,
);
