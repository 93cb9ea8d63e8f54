/**
 * SIGKILL at random moments of `new --answers`, `letter` and `import` (the built CLI, real
 * files, real key files, real tools). After every kill:
 * - every output file that exists is whole: a handover or receipt parses as JSON and carries
 *   its signature, a PDF ends with %%EOF, passes `qpdf --check` and its signature verifies
 *   with `pdfsig` over the whole document, an .ics ends with END:VCALENDAR;
 * - nothing else is in the output folder but the writer's hidden temporary files
 *   (`.<name>.<pid>.<hex>.tmp`), which cleanStaleTemps removes once stale;
 * - the register passes `PRAGMA integrity_check`, and every receipt file has its row;
 * - and at the end the audit log's hash chain verifies.
 * Kills are spread over the whole run (0 to the measured duration) and, for half of the
 * trials, over its last part, where the files are written. The figures are printed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanStaleTemps } from '../../src/io/atomic-write.js';
import { loadSigningIdentity } from '../../src/keystore/index.js';
import { verifyAuditChain } from '../../src/register/audit-verify.js';
import { openRegister, type Register } from '../../src/register/index.js';
import type { SqliteRegister } from '../../src/register/sqlite.js';
import type { Handover, Receipt } from '../../src/schema/types.js';
import { signDocument } from '../../src/signing/jws.js';
import { auditHead, auditText } from '../helpers/audit.js';
import { BIN, ROOT, tempDir } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org, trustEachOther } from '../register/orgs.js';

const TRIALS = { new: 16, letter: 14, import: 20 } as const;
const BATCH = 4;
const TEMP = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;
const NOW = '2026-11-20T10:00:00+02:00';

let A: Org;
let B: Org;
let draftPath: string;
const letterInputs: string[] = [];
const importBatches: string[][] = [];
const out = { new: '', letter: '', import: '' };

const MEETING: Handover['meeting'] = {
  slots: [{ start: '2026-03-10T09:00:00+02:00', end: '2026-03-10T10:30:00+02:00' }],
  channel: 'teams',
  agenda: ['Vastuutyöntekijän nimeäminen'],
};

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'letter.js')), 'run `npm run build` first').toBe(true);
  A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  await trustEachOther(A, B);
  const work = tempDir('handover-crash-');
  for (const k of ['new', 'letter', 'import'] as const) {
    out[k] = join(work, `out-${k}`);
    mkdirSync(out[k], { mode: 0o700 });
  }

  // The published example as a back-office draft: the tool fills in id, time and sender.
  const example = JSON.parse(
    readFileSync(join(ROOT, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'),
  );
  delete example.id;
  delete example.createdAt;
  delete example.sender;
  example.recipient = { organization: { name: B.name, businessId: B.businessId, municipalityCode: '091' } };
  example.youth.newMunicipalityCode = '091';
  draftPath = join(work, 'draft.json');
  writeFileSync(draftPath, JSON.stringify(example));

  const inbox = join(work, 'inbox');
  mkdirSync(inbox);
  await as(A, async () => {
    const id = await loadSigningIdentity();
    const write = async (name: string, doc: Handover) => {
      const p = join(inbox, name);
      writeFileSync(p, `${JSON.stringify(await signDocument(doc, id), null, 2)}\n`);
      return p;
    };
    for (let i = 0; i <= TRIALS.letter; i++)
      letterInputs.push(await write(`letter-${i}.json`, handover(A, B, { meeting: MEETING })));
    for (let i = 0; i <= TRIALS.import; i++) {
      const batch: string[] = [];
      for (let j = 0; j < BATCH; j++) batch.push(await write(`import-${i}-${j}.json`, handover(A, B)));
      importBatches.push(batch);
    }
  });
}, 180_000);

type Cmd = keyof typeof TRIALS;

/** The argv and organisation of trial `i` of a command; every trial writes new files. */
function invocation(cmd: Cmd, i: number): { org: Org; args: string[] } {
  if (cmd === 'new')
    return {
      org: A,
      args: ['new', '--answers', draftPath, '--no-interactive', '--out', out.new, '--now', NOW, '--json'],
    };
  if (cmd === 'letter')
    return { org: A, args: ['letter', letterInputs[i] as string, '--out', out.letter, '--json'] };
  return { org: B, args: ['import', ...(importBatches[i] as string[]), '--out', out.import, '--json'] };
}

interface Kill {
  /** Milliseconds after the start. */
  afterMs?: number;
  /** Milliseconds after the first file appears in the output folder (inotify, not polling). */
  afterWriteMs?: number;
}

interface Run {
  killed: boolean;
  code: number | null;
  ms: number;
  /** When the first file (temporary or not) appeared in the output folder, from the start. */
  firstWriteMs?: number;
  stderr: string;
}

function run(cmd: Cmd, i: number, kill: Kill = {}): Promise<Run> {
  const { org, args } = invocation(cmd, i);
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...org.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const killNow = () => child.kill('SIGKILL');
    const timers: NodeJS.Timeout[] = [];
    if (kill.afterMs !== undefined) timers.push(setTimeout(killNow, kill.afterMs));
    let firstWriteMs: number | undefined;
    const watcher = watch(out[cmd], () => {
      if (firstWriteMs !== undefined) return;
      firstWriteMs = Date.now() - start;
      if (kill.afterWriteMs !== undefined) timers.push(setTimeout(killNow, kill.afterWriteMs));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      watcher.close();
      resolve({
        killed: signal === 'SIGKILL',
        code,
        ms: Date.now() - start,
        stderr,
        ...(firstWriteMs !== undefined ? { firstWriteMs } : {}),
      });
    });
  });
}

interface Figures {
  trials: number;
  killed: number;
  /** Killed after at least one output file of its own was published. */
  killedWithOutput: number;
  partial: number;
  leftovers: number;
  /** A handover without its letter (new) or a letter without its invitation (letter). */
  incompleteSets: number;
  registerProblems: number;
  /** `new`: a published handover file whose "sent" row is missing. */
  filesWithoutRow: number;
}

const checked = new Set<string>();

/** Whether a published output file is whole; each file is checked once (nothing rewrites it). */
function whole(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if ((statSync(path).mode & 0o777) !== 0o600) return 'mode';
  const bytes = readFileSync(path);
  if (name.endsWith('.json')) {
    try {
      const doc = JSON.parse(bytes.toString('utf8')) as { signature?: { jws?: string } };
      return typeof doc.signature?.jws === 'string' ? undefined : 'unsigned';
    } catch {
      return 'json';
    }
  }
  if (name.endsWith('.pdf')) {
    if (!/%%EOF\s*$/.test(bytes.subarray(-32).toString('latin1'))) return 'eof';
    if (spawnSync('qpdf', ['--check', path]).status !== 0) return 'qpdf';
    const sig = spawnSync('pdfsig', [path], { encoding: 'utf8' }).stdout;
    return sig.includes('Signature is Valid') && sig.includes('Total document signed') ? undefined : 'pdfsig';
  }
  if (name.endsWith('.ics')) {
    const text = bytes.toString('utf8');
    return text.startsWith('BEGIN:VCALENDAR') && text.trimEnd().endsWith('END:VCALENDAR') ? undefined : 'ics';
  }
  return 'unexpected file';
}

async function inspect(cmd: Cmd, f: Figures, before: Set<string>): Promise<void> {
  const dir = out[cmd];
  const names = readdirSync(dir);
  const published = names.filter((n) => !n.startsWith('.'));
  const problems: string[] = [];
  for (const n of names) {
    if (n.startsWith('.')) {
      if (!TEMP.test(n)) problems.push(`${n}: not a temporary file of the writer`);
      continue;
    }
    if (checked.has(join(dir, n))) continue;
    const bad = whole(join(dir, n));
    if (bad) {
      f.partial++;
      problems.push(`${n}: ${bad}`);
    }
    checked.add(join(dir, n));
  }
  f.leftovers = names.filter((n) => TEMP.test(n)).length;
  if (published.some((n) => !before.has(n))) f.killedWithOutput++;

  const bases = new Set(published.map((n) => n.replace(/\.[^.]+\.[^.]+$/, '')));
  f.incompleteSets = 0;
  for (const b of bases) {
    const want =
      cmd === 'new'
        ? ['handover.json', 'cover-letter.pdf', 'meeting.ics']
        : cmd === 'letter'
          ? ['cover-letter.pdf', 'meeting.ics']
          : ['receipt.json'];
    if (want.some((w) => !published.includes(`${b}.${w}`))) f.incompleteSets++;
  }

  const org = cmd === 'import' ? B : A;
  const file = join(org.home, 'register.sqlite');
  if (cmd !== 'letter' && existsSync(file)) {
    // Opened as the next command would: what a killed import left pending is settled first.
    const reg = (await as(org, () => openRegister())) as Register & SqliteRegister;
    try {
      expect(reg.file).toBe(file);
      if (reg.integrityCheck() !== 'ok') {
        f.registerProblems++;
        problems.push('integrity_check');
      }
      if (cmd === 'import') {
        for (const n of published) {
          const r = JSON.parse(readFileSync(join(dir, n), 'utf8')) as Receipt;
          const row = await reg.getHandover(r.handoverId, 'received');
          if (row?.receiptId !== r.id || (await reg.getReceipt(r.id))?.fileName !== n) {
            f.registerProblems++;
            problems.push(`${n}: no register row`);
          }
        }
      } else {
        f.filesWithoutRow = 0;
        for (const n of published.filter((n) => n.endsWith('.handover.json'))) {
          const id = (JSON.parse(readFileSync(join(dir, n), 'utf8')) as Handover).id;
          if ((await reg.getHandover(id, 'sent')) === undefined) f.filesWithoutRow++;
        }
      }
    } finally {
      await reg.close();
    }
  }
  expect(problems).toEqual([]);
}

/** One whole run per command first: it must succeed, and it gives the durations the kills spread over. */
const measured: Partial<Record<Cmd, { ms: number; writing: number }>> = {};
async function wholeRun(cmd: Cmd, f: Figures): Promise<{ ms: number; writing: number }> {
  const done = measured[cmd];
  if (done) return done;
  const full = await run(cmd, TRIALS[cmd]);
  expect(full.code, full.stderr).toBe(0);
  expect(full.firstWriteMs).toBeDefined();
  await inspect(cmd, f, new Set(readdirSync(out[cmd])));
  measured[cmd] = { ms: full.ms, writing: full.ms - (full.firstWriteMs ?? 0) };
  return measured[cmd];
}

type When = 'anywhere in the run' | 'while the files are written';

/** Half the trials of a command: the even ones kill anywhere in the run, the odd ones while files are written. */
async function trials(cmd: Cmd, when: When): Promise<Figures> {
  const f: Figures = {
    trials: 0,
    killed: 0,
    killedWithOutput: 0,
    partial: 0,
    leftovers: 0,
    incompleteSets: 0,
    registerProblems: 0,
    filesWithoutRow: 0,
  };
  const full = await wholeRun(cmd, f);
  for (let i = when === 'anywhere in the run' ? 0 : 1; i < TRIALS[cmd]; i += 2) {
    const kill =
      when === 'anywhere in the run'
        ? { afterMs: Math.floor(Math.random() * full.ms) }
        : { afterWriteMs: Math.floor(Math.random() * full.writing) };
    const before = new Set(readdirSync(out[cmd]));
    const r = await run(cmd, i, kill);
    f.trials++;
    if (r.killed) f.killed++;
    else expect(r.code, `${cmd} trial ${i} ended by itself: ${r.stderr}`).toBe(0);
    const withOutput = f.killedWithOutput;
    await inspect(cmd, f, before);
    if (!r.killed) f.killedWithOutput = withOutput;
  }
  if (process.env.HANDOVER_TEST_FIGURES)
    console.log(
      `crash ${cmd}, ${when}: ${JSON.stringify({ durationMs: full.ms, writingMs: full.writing, ...f })}`,
    );
  return f;
}

// Each command's trials are two tests (kills anywhere, kills while writing), each well inside its timeout.
const CASES = (['new', 'letter', 'import'] as const).flatMap((cmd) =>
  (['anywhere in the run', 'while the files are written'] as const).map((when) => [cmd, when] as [Cmd, When]),
);

describe('SIGKILL at random moments', () => {
  const all: Record<string, Figures> = {};

  it.each(CASES)(
    '%s, killed %s: never a partial file, the register whole',
    async (cmd, when) => {
      const f = await trials(cmd, when);
      all[`${cmd} ${when}`] = f;
      expect(f.trials).toBe(TRIALS[cmd] / 2);
      expect(f.partial).toBe(0);
      expect(f.registerProblems).toBe(0);
      expect(f.killed).toBeGreaterThan(0);
    },
    120_000,
  );

  it('the kills landed while files were being written, not only before or after', () => {
    expect(Object.keys(all)).toHaveLength(CASES.length);
    expect(Object.values(all).reduce((n, f) => n + f.killedWithOutput, 0)).toBeGreaterThan(0);
  });

  it('the audit chains verify after the kills, against the heads their registers keep', () => {
    for (const org of [A, B]) {
      const v = verifyAuditChain(auditText(org.home), auditHead(org.home) ?? null);
      expect(v.problems).toEqual([]);
      expect(v.lines).toBeGreaterThan(0);
    }
  });

  it('stale temporary files are removed and nothing published is touched', () => {
    for (const dir of Object.values(out)) {
      const names = readdirSync(dir);
      const temps = names.filter((n) => TEMP.test(n)).sort();
      const removed = cleanStaleTemps(dir, { olderThanMs: 0, now: Date.now() + 1000 }).sort();
      expect(removed).toEqual(temps);
      expect(readdirSync(dir).sort()).toEqual(names.filter((n) => !TEMP.test(n)).sort());
    }
  });
});
