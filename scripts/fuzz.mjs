#!/usr/bin/env node
// Hostile-input fuzzing of `validate` against the built product (dist/), in-process:
//   npm run fuzz [-- --runs 10000 --seed 42 --command-every 50]
// Every input goes through validateDocument; every Nth also through the `validate` command
// (--json), as a back office would call it. Prints the counts (inputs tried, crashes, stack
// traces seen, unknown rule codes, exit codes outside SPEC §3) and exits 1 if any is non-zero.
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

const home = mkdtempSync(join(tmpdir(), 'handover-fuzz-'));
process.env.HANDOVER_HOME = home;

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
    if (n % every === 0) {
      stats.commandRuns++;
      const file = join(home, `input-${n}.json`);
      writeFileSync(file, input.bytes);
      const c = await runValidateCommand(file);
      rmSync(file, { force: true });
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
const bad =
  stats.crashes +
  stats.stackTracesSeen +
  stats.unknownRuleCodes +
  stats.validityMismatches +
  stats.commandBadExit +
  stats.commandBadOutput +
  stats.prototypePolluted;
process.stdout.write(
  `fuzz: ${stats.inputsTried} inputs tried (${stats.commandRuns} through the command), ${stats.crashes} crashes, ${stats.stackTracesSeen} stack traces seen, ${bad === 0 ? 'no' : bad} problems; seed ${seed}\n`,
);
process.exit(bad === 0 ? 0 : 1);
