// Part 6 of `npm run bench`: cover letters through `import` and `verify`, this build against a
// baseline build in the same run (BENCH_BASELINE=<another checkout with dist/>; without it,
// this build alone). Since issue 22.3, `import` of a letter checks the letter's own PDF
// signature too, and since 22.1 every PDF is loaded under the --max-size inflate budget: this
// shows what that costs. Runs alternate between the builds so that a busy machine weighs on
// both alike. Also the object-stream bomb of issue 22.1 (256 MiB): time and peak memory of
// `verify`. Needs a build; files go under .bench/pdf and are removed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const base = join(root, '.bench', 'pdf');
rmSync(base, { recursive: true, force: true });
const baseline = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : undefined;
if (baseline && !existsSync(join(baseline, 'dist', 'commands'))) {
  console.error(`BENCH_BASELINE ${baseline} has no build (dist/commands)`);
  process.exit(2);
}
const builds = [{ name: 'this', root }, ...(baseline ? [{ name: 'baseline', root: baseline }] : [])];

const { PASSPHRASE, as, makeOrgs, signedHandovers } = await import('./bench-orgs.mjs');
const { writeLetter } = await import(join(root, 'dist', 'services', 'letter.js'));

const { A, B } = await makeOrgs(base);
const N = Number(process.env.BENCH_PDF_LETTERS ?? 60);
const handovers = await signedHandovers(A, B, join(base, 'inbox'), N);
const letters = [];
for (const file of handovers) {
  const r = await as(A, () => writeLetter({ file, lang: 'fi', outDir: join(base, 'letters') }));
  letters.push(r.files.find((f) => f.kind === 'cover-letter').path);
}
const env = {
  ...process.env,
  HANDOVER_HOME: B.home,
  HANDOVER_KEY_PASSPHRASE: PASSPHRASE,
  HANDOVER_LANG: 'en',
};
// Each build its own copy of the receiver's home: a newer build migrates the register, which
// an older one then refuses to open (REGISTER_TOO_NEW).
const homeOf = (b) => (b.name === 'this' ? B.home : `${B.home}-${b.name}`);
for (const b of builds)
  if (b.name !== 'this')
    cpSync(B.home, homeOf(b), {
      recursive: true,
      // Without the register: the older build makes its own (a dry run registers nothing).
      filter: (src) => !/register\.(sqlite|db)/.test(src),
    });
const envOf = (b) => ({ ...env, HANDOVER_HOME: homeOf(b) });

/** Median wall time (ms) of a CLI run per build, runs alternating between the builds. */
function cliMedians(args, runs = 9) {
  const times = Object.fromEntries(builds.map((b) => [b.name, []]));
  for (let i = 0; i < runs + 1; i++) {
    for (const b of i % 2 ? [...builds].reverse() : builds) {
      const t = performance.now();
      const p = spawnSync(process.execPath, [join(b.root, 'bin', 'run.js'), ...args(i)], {
        env: envOf(b),
        encoding: 'utf8',
      });
      if (p.status !== 0)
        throw new Error(`${b.name}: ${args(i).join(' ')} failed (${p.status}): ${p.stdout}${p.stderr}`);
      if (i > 0) times[b.name].push(performance.now() - t); // the first run fills the compile cache
    }
  }
  const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, med(v)]));
}

/**
 * Files imported per second in-process (--dry-run: judged, nothing registered), per build:
 * the best of three rounds after a warm-up, the rounds alternating between the builds (on a
 * shared machine the best round is the one least disturbed by others).
 */
async function inProcess(files) {
  const out = {};
  for (const round of [0, 1, 2, 3]) {
    for (const b of round % 2 ? [...builds].reverse() : builds) {
      const { importFiles } = await import(join(b.root, 'dist', 'services', 'import', 'index.js'));
      const t = performance.now();
      const r = await as({ ...B, home: homeOf(b) }, () => importFiles({ files, lang: 'en', dryRun: true }));
      const rate = files.length / ((performance.now() - t) / 1000);
      if (r.summary.accepted !== files.length)
        throw new Error(`${b.name}: ${JSON.stringify(r.files.find((f) => f.outcome !== 'accepted'))}`);
      if (round > 0) out[b.name] = Math.max(out[b.name] ?? 0, rate);
    }
  }
  return out;
}

const ratio = (x, y) => (y === undefined ? '' : ` (this/baseline ${(x / y).toFixed(2)})`);
const verify = cliMedians((i) => ['verify', letters[i % letters.length], '--json']);
console.log(
  `handover verify <letter.pdf> (wall, median): this ${verify.this.toFixed(0)} ms` +
    (baseline ? `, baseline ${verify.baseline.toFixed(0)} ms${ratio(verify.this, verify.baseline)}` : ''),
);
const imp = cliMedians((i) => ['import', letters[i % letters.length], '--dry-run', '--json']);
console.log(
  `handover import <letter.pdf> --dry-run (wall, median): this ${imp.this.toFixed(0)} ms` +
    (baseline ? `, baseline ${imp.baseline.toFixed(0)} ms${ratio(imp.this, imp.baseline)}` : ''),
);
const json = cliMedians((i) => ['import', handovers[i % handovers.length], '--dry-run', '--json']);
console.log(
  `handover import <handover.json> --dry-run (wall, median): this ${json.this.toFixed(0)} ms` +
    (baseline ? `, baseline ${json.baseline.toFixed(0)} ms${ratio(json.this, json.baseline)}` : ''),
);
for (const [what, files] of [
  ['letters', letters],
  ['handover files', handovers],
]) {
  const rate = await inProcess(files);
  console.log(
    `import of ${files.length} ${what} in-process (dry run): this ${rate.this.toFixed(1)}/s` +
      (baseline
        ? `, baseline ${rate.baseline.toFixed(1)}/s (this/baseline ${(rate.this / rate.baseline).toFixed(2)})`
        : ''),
  );
}

// The bomb: a signed PDF whose object stream inflates to 256 MiB (the test's builder, in TS;
// Node 24 strips the types). Peak memory and wall time of `verify`, per build.
const { objStmBomb } = await import(join(root, 'test', 'documents', 'objstm-bomb.ts'));
const keyPath = join(base, 'bomb.key.pem');
const certPath = join(base, 'bomb.cert.pem');
spawnSync(
  'openssl',
  ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath].concat([
    '-days',
    '2',
    '-subj',
    '/CN=bench bomb',
  ]),
  { stdio: 'ignore' },
);
const bomb = join(base, 'bomb-256mib.pdf');
writeFileSync(bomb, await objStmBomb(256 << 20, { keyPath, certPath, dir: base }));
for (const b of builds) {
  const t = performance.now();
  const p = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, join(b.root, 'bin', 'run.js'), 'verify', bomb, '--json'],
    {
      env: envOf(b),
      encoding: 'utf8',
    },
  );
  const peak = Number(p.stderr.trim().split('\n').at(-1)) / 1024;
  let code = '';
  try {
    code = JSON.parse(p.stdout).error?.code ?? JSON.parse(p.stdout).code ?? '';
  } catch {}
  console.log(
    `verify of a 256 MiB object-stream bomb (${b.name}): ${((performance.now() - t) / 1000).toFixed(2)} s, peak ${peak.toFixed(0)} MB, exit ${p.status} ${code}`,
  );
}
rmSync(base, { recursive: true, force: true });
