// Part 6 of `npm run bench`: import into the office's PostgreSQL register (SPEC §11), as
// signed files per second, one `handover import` process against four at once on the same
// database (each of the four given a quarter of the files), same run, same files. A
// throwaway PostgreSQL cluster is made under .bench/ (initdb as the postgres user when run as
// root) and removed afterwards. Needs a build and Debian's postgresql.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** Busy and total CPU ticks of the whole machine (Linux /proc/stat): how many cores a run kept busy. */
const cpuTicks = () => {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
};
const coresBusy = (a, b) => (a && b ? ((b.busy - a.busy) / (b.total - a.total)) * cpus().length : Number.NaN);
const { PASSPHRASE, makeOrgs, signedHandovers } = await import('./bench-orgs.mjs');

const N = Number(process.env.BENCH_OFFICE_FILES ?? 1600);
const base = join(root, '.bench', 'office');
rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });

const pgBase = '/usr/lib/postgresql';
const version = existsSync(pgBase) ? readdirSync(pgBase).sort((a, b) => b - a)[0] : undefined;
if (!version) {
  console.log('office import: skipped (PostgreSQL is not installed: apt-get install postgresql)');
  process.exit(0);
}
const bin = join(pgBase, version, 'bin');
const asRoot = process.getuid?.() === 0;
const pgDir = join(base, 'pg');
mkdirSync(pgDir);
chmodSync(base, 0o777);
chmodSync(pgDir, 0o777);
const pgRun = (cmd, args) =>
  execFileSync(
    asRoot ? 'runuser' : join(bin, cmd),
    asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args,
    {
      stdio: 'pipe',
    },
  );
const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => ok(p));
  });
});
pgRun('initdb', ['-D', join(pgDir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
// Durable commits as a real server has them (fsync on): the figure is the office's, not a toy's.
pgRun('pg_ctl', [
  '-D',
  join(pgDir, 'data'),
  '-l',
  join(pgDir, 'log'),
  '-o',
  `-p ${port} -k ${pgDir} -c listen_addresses=127.0.0.1`,
  '-w',
  'start',
]);
const stop = () => {
  try {
    pgRun('pg_ctl', ['-D', join(pgDir, 'data'), '-m', 'immediate', 'stop']);
  } catch {}
};
try {
  const { A, B } = await makeOrgs(base);
  const make = (dir, n) => signedHandovers(A, B, dir, n);
  const run = (files, env, db) =>
    new Promise((ok, fail) => {
      const e = { ...process.env, ...env };
      if (db) e.HANDOVER_DATABASE_URL = db;
      else delete e.HANDOVER_DATABASE_URL;
      const p = spawn(process.execPath, [join(root, 'bin', 'run.js'), 'import', ...files, '--json'], {
        env: e,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('close', (code) => {
        if (code !== 0)
          return fail(new Error(`import exited ${code}: ${err.slice(0, 400)} ${out.slice(0, 600)}`));
        const r = JSON.parse(out);
        if (r.summary.accepted !== files.length)
          return fail(new Error(`not all accepted: ${JSON.stringify(r.summary)}`));
        ok();
      });
    });
  const env = { HANDOVER_HOME: B.home, HANDOVER_KEY_PASSPHRASE: PASSPHRASE, HANDOVER_LANG: 'en' };
  const createdb = (name) => {
    execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
    return `postgres://postgres@127.0.0.1:${port}/${name}`;
  };
  // Fresh files and a fresh database for each measurement, alternating, twice.
  const figures = { sqlite: [], one: [], four: [] };
  const busy = { sqlite: [], one: [], four: [] };
  for (let round = 0; round < 2; round++) {
    for (const mode of ['sqlite', 'one', 'four']) {
      const files = await make(join(base, `in-${mode}-${round}`), N);
      if (mode === 'sqlite') {
        // The peer: one worker's own SQLite register, same files, same process shape.
        const c0 = cpuTicks();
        const t0 = performance.now();
        await run(files, env, undefined);
        figures.sqlite.push(N / ((performance.now() - t0) / 1000));
        busy.sqlite.push(coresBusy(c0, cpuTicks()));
        continue;
      }
      const db = createdb(`bench_${mode}_${round}`);
      // The office gets the organisation's profile and trust store as an office would.
      execFileSync(
        process.execPath,
        [join(root, 'bin', 'run.js'), 'register', 'migrate', '--to', db, '--json'],
        {
          env: { ...process.env, ...env },
          stdio: 'pipe',
        },
      );
      const c0 = cpuTicks();
      const t0 = performance.now();
      if (mode === 'one') await run(files, env, db);
      else {
        const q = Math.ceil(N / 4);
        await Promise.all([0, 1, 2, 3].map((i) => run(files.slice(i * q, (i + 1) * q), env, db)));
      }
      figures[mode].push(N / ((performance.now() - t0) / 1000));
      busy[mode].push(coresBusy(c0, cpuTicks()));
    }
  }
  const best = (a) => Math.max(...a);
  const one = best(figures.one);
  const four = best(figures.four);
  const sqlite = best(figures.sqlite);
  console.log(
    `office import into PostgreSQL, ${N} signed files: one process ${one.toFixed(0)} files/s, four at once ${four.toFixed(0)} files/s` +
      ` → ${(four / one).toFixed(2)}× (goal ≥ 1.5×; best of 2 runs each, ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)})`,
  );
  const b = (m) => (busy[m].reduce((x, y) => x + y, 0) / busy[m].length).toFixed(1);
  console.log(
    `  cores busy on average: one process ${b('one')}, four ${b('four')}, SQLite ${b('sqlite')} of ${cpus().length} (the PostgreSQL server included)`,
  );
  console.log(
    `  the same import into one worker's SQLite register, one process: ${sqlite.toFixed(0)} files/s (PostgreSQL one process ${(one / sqlite).toFixed(2)}× that)`,
  );
} finally {
  stop();
  rmSync(base, { recursive: true, force: true });
}
