#!/usr/bin/env node
// Hostile-input fuzzing of every reader against the built product (dist/), in-process:
//   npm run fuzz [-- --runs 10000 --seed 42 --command-every 50]
// Every input goes through validateDocument and through the services of every command that
// reads a document (SPEC §10): import --dry-run, verify, show (and its printer), open; every
// Nth also through the `validate` command (--json), as a back office would call it. A reader
// may refuse an input with a typed HandoverError; anything else thrown is a crash, a call
// that takes longer than HANG_MS is a hang. Prints the counts and exits 1 if any is non-zero.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { arbitraries, looksLikeStack, seeds } from '../test/fuzz/generators.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    'command-every': { type: 'string', default: '50' },
  },
});
const runs = Number(values.runs);
const every = Math.max(1, Number(values['command-every']));
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

const dist = (p) => join(root, 'dist', p);
if (!existsSync(dist('services/validate/index.js')) || !existsSync(dist('commands/validate.js'))) {
  process.stderr.write('dist/ is missing: run `npm run build` first.\n');
  process.exit(2);
}
const { validateDocument } = await import(pathToFileURL(dist('services/validate/index.js')).href);
const { RULES } = await import(pathToFileURL(dist('domain/rules/registry.js')).href);
const Validate = (await import(pathToFileURL(dist('commands/validate.js')).href)).default;
const KNOWN = new Set(Object.keys(RULES));

const stats = {
  seed,
  inputsTried: 0,
  crashes: 0,
  stackTracesSeen: 0,
  unknownRuleCodes: 0,
  validityMismatches: 0,
  commandRuns: 0,
  commandBadExit: 0,
  commandBadOutput: 0,
  prototypePolluted: 0,
  byKind: {},
  exitCodes: {},
};
const examples = [];
const note = (what, input, detail) => {
  if (examples.length < 10)
    examples.push({
      what,
      kind: input.kind,
      bytes: input.bytes.length,
      detail: String(detail).slice(0, 300),
    });
};

// On a RAM disk where there is one: verify and open fsync an audit line per input.
const home = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'handover-fuzz-'));
process.env.HANDOVER_HOME = home;
process.env.HANDOVER_KEY_PASSPHRASE = 'fuzz passphrase, never a real key';

// An organisation with a file key, so that import and open get as far as they can.
const { saveConfig } = await import(pathToFileURL(dist('config/store.js')).href);
const { initKey } = await import(pathToFileURL(dist('services/keys.js')).href);
saveConfig({
  organization: { name: 'Fuzz Oy', businessId: '2082259-7', municipalityCode: '091' },
  contact: { name: 'Fuzz Worker', email: 'fuzz@example.fi' },
  defaults: { keyStore: 'file', outputFolder: home },
});
await initKey({ store: 'file' });
const { importFiles, renderFile } = await import(pathToFileURL(dist('services/import/index.js')).href);
const { verifyFile } = await import(pathToFileURL(dist('services/verify.js')).href);
const { showDocument } = await import(pathToFileURL(dist('services/show/index.js')).href);
const { renderShow } = await import(pathToFileURL(dist('services/show/render.js')).href);
const { open } = await import(pathToFileURL(dist('services/open.js')).href);
const { HandoverError } = await import(pathToFileURL(dist('core/errors.js')).href);
const READERS = ['import', 'verify', 'show', 'open'];
const HANG_MS = 10_000;
stats.readers = Object.fromEntries(READERS.map((r) => [r, { runs: 0, refused: 0, crashes: 0, hangs: 0 }]));
// A control character a printer let through (SPEC §10), line feed and tab aside.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
stats.rawControlPrinted = 0;

/** Runs one reader on one input file: refused (typed error), crash, hang, or done. */
async function throughReader(name, file, input, n) {
  const s = stats.readers[name];
  s.runs++;
  const lang = ['fi', 'sv', 'en'][n % 3];
  const call = async () => {
    if (name === 'import') {
      const r = await importFiles({ files: [file], lang, dryRun: true });
      return r.files.map((f) => renderFile(f, lang)).join('');
    }
    if (name === 'verify') return JSON.stringify(await verifyFile({ file }));
    if (name === 'show') return renderShow(showDocument({ file, lang }), lang);
    return JSON.stringify(await open({ file, out: join(home, 'opened'), force: true }));
  };
  let timer;
  const hang = new Promise((resolve) => {
    timer = setTimeout(() => resolve('hang'), HANG_MS);
  });
  try {
    const out = await Promise.race([call(), hang]);
    if (out === 'hang') {
      s.hangs++;
      note(`${name} hang`, input, '');
    } else if (name !== 'verify' && name !== 'open' && RAW_CONTROL.test(out)) {
      stats.rawControlPrinted++;
      note(`${name} printed a control character`, input, JSON.stringify(out.slice(0, 200)));
    }
  } catch (e) {
    if (e instanceof HandoverError) {
      s.refused++;
      if (e.code === 'INTERNAL') {
        s.crashes++;
        note(`${name} INTERNAL`, input, e.stack);
      }
    } else {
      s.crashes++;
      note(`${name} crash`, input, e?.stack ?? e);
    }
  } finally {
    clearTimeout(timer);
  }
}

async function runValidateCommand(file) {
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write;
  const ew = process.stderr.write;
  process.stdout.write = (c) => {
    stdout += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
    return true;
  };
  process.stderr.write = (c) => {
    stderr += typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
    return true;
  };
  let exit = 0;
  try {
    await Validate.run([file, '--json'], root);
  } catch (e) {
    exit = e?.oclif?.exit ?? -1;
    if (exit === -1) stderr += `\n${e?.stack ?? e}`;
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  return { stdout, stderr, exit };
}

const gen = arbitraries(seeds());
const started = Date.now();
const result = await fc.check(
  fc.asyncProperty(gen.any, async (input) => {
    const n = stats.inputsTried++;
    stats.byKind[input.kind] = (stats.byKind[input.kind] ?? 0) + 1;
    try {
      const r = validateDocument(input.bytes, { lang: ['fi', 'sv', 'en'][n % 3] });
      for (const f of r.findings) {
        if (!KNOWN.has(f.rule)) {
          stats.unknownRuleCodes++;
          note('unknown rule', input, f.rule);
        }
        if (looksLikeStack(f.message)) {
          stats.stackTracesSeen++;
          note('stack in message', input, f.message);
        }
      }
      if (r.valid !== !r.findings.some((f) => f.severity === 'error')) {
        stats.validityMismatches++;
        note('validity', input, JSON.stringify(r.findings.map((f) => f.rule)));
      }
    } catch (e) {
      stats.crashes++;
      note('crash', input, e?.stack ?? e);
    }
    const file = join(home, `input-${n}.json`);
    writeFileSync(file, input.bytes);
    for (const name of READERS) await throughReader(name, file, input, n);
    if (n % every === 0) {
      stats.commandRuns++;
      const c = await runValidateCommand(file);
      stats.exitCodes[c.exit] = (stats.exitCodes[c.exit] ?? 0) + 1;
      if (c.exit !== 0 && c.exit !== 1) {
        stats.commandBadExit++;
        note('exit code', input, `${c.exit} ${c.stderr}`);
      }
      if (looksLikeStack(c.stderr) || looksLikeStack(c.stdout)) {
        stats.stackTracesSeen++;
        note('stack in output', input, c.stderr || c.stdout);
      }
      try {
        const out = JSON.parse(c.stdout);
        if ((out.summary.invalid > 0 ? 1 : 0) !== c.exit)
          throw new Error(`exit ${c.exit} for ${out.summary.invalid} invalid`);
      } catch (e) {
        stats.commandBadOutput++;
        note('command output', input, e?.message ?? e);
      }
    }
    rmSync(file, { force: true });
    if ({}.polluted !== undefined || Object.getOwnPropertyNames(Object.prototype).includes('polluted')) {
      stats.prototypePolluted++;
    }
    return true;
  }),
  { numRuns: runs, seed },
);
rmSync(home, { recursive: true, force: true });

stats.seconds = Math.round((Date.now() - started) / 100) / 10;
if (result.failed) {
  stats.crashes++;
  examples.push({ what: 'harness', detail: String(result.errorInstance ?? result.error).slice(0, 300) });
}
process.stdout.write(`${JSON.stringify({ ...stats, examples }, null, 2)}\n`);
const readerCrashes = Object.values(stats.readers).reduce((a, r) => a + r.crashes, 0);
const readerHangs = Object.values(stats.readers).reduce((a, r) => a + r.hangs, 0);
const bad =
  readerCrashes +
  readerHangs +
  stats.rawControlPrinted +
  stats.crashes +
  stats.stackTracesSeen +
  stats.unknownRuleCodes +
  stats.validityMismatches +
  stats.commandBadExit +
  stats.commandBadOutput +
  stats.prototypePolluted;
process.stdout.write(
  `fuzz: ${stats.inputsTried} inputs tried through validate, ${READERS.join(', ')} (${stats.commandRuns} through the validate command) in ${stats.seconds} s: ${stats.crashes + readerCrashes} crashes, ${readerHangs} hangs, ${stats.stackTracesSeen} stack traces seen, ${bad === 0 ? 'no' : bad} problems; seed ${seed}\n`,
);
process.exit(bad === 0 ? 0 : 1);
