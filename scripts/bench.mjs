// `npm run bench`: speed and memory, each measured against its peer in the same run.
//  1. validate 10,000 handover files: `handover validate` vs ajv-cli (same schema, same files,
//     alternating runs); ajv-cli checks only the schema, we check schema and rules.
//  2. peak memory of `handover validate` at 10,000 vs 100,000 files.
//  3. start-up: `handover --version` vs ajv-cli's `help`.
//  4. signed cover letters per second in-process, and the wall time of `handover letter`.
//  5. imports per second in-process.
//  6. verify of a signed 10 MB file, 100 times, three at a time (bench-limits.mjs).
//  7. cover letters through `verify` and `import` (and the object-stream bomb), this build
//     against BENCH_BASELINE=<another checkout with a build> when given.
// Needs a build (`npm run build`). Figures go to stdout; files are made under .bench/.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const benchDir = join(root, '.bench');
const node = process.execPath;
const bin = join(root, 'bin', 'run.js');
const ajvCli = join(root, 'node_modules', 'ajv-cli', 'dist', 'index.js');
const schema = join(root, 'schemas', 'handover.schema.json');
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (!existsSync(join(root, 'dist', 'commands'))) {
  console.error('Build first: npm run build');
  process.exit(2);
}

const CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';
/** A valid temporary identity code (individual number 900–999) for an invented person. */
function hetu(birth, n) {
  const [y, m, d] = birth.split('-');
  const sign = Number(y) >= 2000 ? 'A' : '-';
  const num = String(900 + (n % 100)).padStart(3, '0');
  const q = CHECK[Number(`${d}${m}${y.slice(2)}${num}`) % 31];
  return `${d}${m}${y.slice(2)}${sign}${num}${q}`;
}

const GIVEN = ['Aino', 'Eetu', 'Linnea', 'Oskari', 'Helmi', 'Väinö', 'Ella', 'Onni', 'Saga', 'Elias'];
const FAMILY = ['Testinen', 'Esimerkki', 'Mallikas', 'Koekäyttäjä', 'Kuvitelma'];

function makeFiles(dir, count) {
  if (existsSync(join(dir, '.complete')) && readFileSync(join(dir, '.complete'), 'utf8') === String(count))
    return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const base = JSON.parse(
    readFileSync(join(root, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'),
  );
  delete base.signature;
  for (let i = 0; i < count; i++) {
    const doc = structuredClone(base);
    doc.id = randomUUID();
    doc.youth.name = { given: GIVEN[i % GIVEN.length], family: FAMILY[i % FAMILY.length] };
    if (doc.youth.personalIdentityCode) doc.youth.personalIdentityCode = hetu(doc.youth.birthDate, i);
    writeFileSync(
      join(dir, `${String(i).padStart(6, '0')}.handover.json`),
      `${JSON.stringify(doc, null, 2)}\n`,
    );
  }
  writeFileSync(join(dir, '.complete'), String(count));
}

/**
 * Wall time, and CPU time (user + system, all threads) from GNU time: on a machine shared with
 * others the wall time of a run varies with their load, its CPU time much less.
 */
function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const stderr = r.stderr?.toString() ?? '';
  const [user, sys] = stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms, cpuMs: (user + sys) * 1000, status: r.status, stderr };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Peak resident memory (KiB) of a command, from GNU time. */
function peakKiB(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = r.stderr.toString().trim().split('\n');
  return Number(lines[lines.length - 1]);
}

const results = {};

if (want('validate')) {
  const dir10k = join(benchDir, 'files-10k');
  console.log('Making 10,000 handover files…');
  makeFiles(dir10k, 10_000);
  const ours = [node, [bin, 'validate', dir10k, '--format', 'json']];
  const peer = [
    node,
    [ajvCli, 'validate', '--spec=draft2020', '-c', 'ajv-formats', '-s', schema, '-d', `${dir10k}/*.json`],
  ];
  const check = time(...ours);
  if (check.status !== 0) {
    console.error(
      `handover validate failed on the bench files (exit ${check.status}):\n${check.stderr.slice(0, 2000)}`,
    );
    process.exit(1);
  }
  const a = [];
  const b = [];
  // Alternating runs: a shared 2-core machine varies by ±15% from run to run, more under load.
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  for (let i = 0; i < runs; i++) {
    a.push(time(...ours));
    b.push(time(...peer));
  }
  const wall = (xs) => median(xs.map((x) => x.ms));
  const cpu = (xs) => median(xs.map((x) => x.cpuMs));
  const ratio = wall(b) / wall(a);
  const cpuRatio = cpu(b) / cpu(a);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  results.validate = {
    handoverMs: wall(a),
    ajvCliMs: wall(b),
    ratio,
    handoverCpuMs: cpu(a),
    ajvCliCpuMs: cpu(b),
    cpuRatio,
    runs,
    load: Number(load),
  };
  console.log(
    `validate 10,000 files (median of ${runs}, alternating; load average ${load} on ${availableParallelism()} cores):`,
  );
  console.log(`  wall: handover ${fmt(wall(a))}, ajv-cli ${fmt(wall(b))}`);
  console.log(`  CPU (user+sys, all threads): handover ${fmt(cpu(a))}, ajv-cli ${fmt(cpu(b))}`);
  console.log(`  → handover is ${ratio.toFixed(2)}× as fast as ajv-cli in wall time (goal ≥ 1.5×)`);
  console.log(
    `  → CPU time ajv-cli / handover: ${cpuRatio.toFixed(2)} (ajv-cli runs one thread, handover one worker per core)`,
  );
}

if (want('memory')) {
  const dir10k = join(benchDir, 'files-10k');
  const dir100k = join(benchDir, 'files-100k');
  makeFiles(dir10k, 10_000);
  console.log('Making 100,000 handover files (once; kept in .bench/)…');
  makeFiles(dir100k, 100_000);
  const m10 = peakKiB(node, [bin, 'validate', dir10k, '--format', 'json']);
  const m100 = peakKiB(node, [bin, 'validate', dir100k, '--format', 'json']);
  results.memory = { peak10kMiB: m10 / 1024, peak100kMiB: m100 / 1024, ratio: m100 / m10 };
  console.log(
    `peak memory: ${(m10 / 1024).toFixed(0)} MiB at 10,000 files, ${(m100 / 1024).toFixed(0)} MiB at 100,000`,
  );
  console.log(`  → ratio ${(m100 / m10).toFixed(2)} (goal ≤ 1.3)`);
}

if (want('startup')) {
  const runs = 15;
  const a = [];
  const b = [];
  time(node, [bin, '--version']); // warm the compile cache once, as a user's second run would be
  for (let i = 0; i < runs; i++) {
    a.push(time(node, [bin, '--version']).ms);
    b.push(time(node, [ajvCli, 'help']).ms);
  }
  results.startup = { versionMs: median(a), ajvHelpMs: median(b), ratio: median(b) / median(a) };
  console.log(
    `start-up: handover --version ${median(a).toFixed(0)} ms, ajv-cli help ${median(b).toFixed(0)} ms (median of ${runs})`,
  );
  console.log(`  → handover starts ${(median(b) / median(a)).toFixed(2)}× as fast (goal ≥ 1.0×)`);
}

for (const extra of ['letter', 'import', 'office', 'limits', 'pdf']) {
  if (!want(extra)) continue;
  const script = join(root, 'scripts', `bench-${extra}.mjs`);
  if (!existsSync(script)) continue;
  const out = execFileSync(node, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(out);
}

writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
