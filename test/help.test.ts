/** `--help` through the built CLI, in each language, with the texts of the help catalogues. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Flags, Parser } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, runCommand, tempDir } from './helpers/cli.js';

const catalogue = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(join(ROOT, 'templates', 'messages', lang, 'help.json'), 'utf8'));
// Help wraps long lines: compare words, not line breaks.
const flat = (s: string) => s.replace(/\s+/g, ' ');
const env = (extra: Record<string, string | undefined>) => ({
  HANDOVER_HOME: tempDir(),
  HANDOVER_LANG: undefined,
  LANG: 'C',
  LC_ALL: undefined,
  LC_MESSAGES: undefined,
  ...extra,
});

describe('handover --help', () => {
  it.each(['fi', 'sv', 'en'])('speaks %s for a command: summary, headers, flags, arguments', async (lang) => {
    const c = catalogue(lang);
    const r = await runBin(['validate', '--help'], { env: env({ HANDOVER_LANG: lang }) });
    expect(r.exitCode).toBe(0);
    const out = flat(r.stdout);
    // A flag with the same text in every command has one key for all.
    const flag = (name: string) => (`validate.flag.${name}` in c ? `validate.flag.${name}` : `flag.${name}`);
    for (const key of [
      'validate.summary',
      flag('strict'),
      flag('verify-signatures'),
      'validate.arg.paths',
      'flag.lang',
      'header.USAGE',
      'header.FLAGS',
      'header.GLOBAL FLAGS',
      'header.ARGUMENTS',
    ]) {
      expect(c[key], key).toBeTruthy();
      expect(out, key).toContain(flat(c[key]!));
    }
    if (lang !== 'en') expect(out).not.toContain(flat(catalogue('en')['validate.summary']!));
  });

  it.each(['fi', 'sv'])('leaves no English section header in %s, flag groups included', async (lang) => {
    const headers = new Set(
      Object.entries(catalogue(lang))
        .filter(([k]) => k.startsWith('header.'))
        .map(([, v]) => v),
    );
    const r = await runBin(['new', '--help'], { env: env({ HANDOVER_LANG: lang }) });
    expect(r.exitCode).toBe(0);
    const found = r.stdout.split('\n').filter((l) => /^[A-ZÅÄÖ][A-ZÅÄÖ ]+$/.test(l));
    expect(found.length).toBeGreaterThanOrEqual(4);
    for (const h of found) expect(headers, h).toContain(h);
  });

  it('takes --lang from the command line over HANDOVER_LANG', async () => {
    const r = await runBin(['import', '--help', '--lang', 'sv'], { env: env({ HANDOVER_LANG: 'fi' }) });
    expect(r.exitCode).toBe(0);
    expect(flat(r.stdout)).toContain(flat(catalogue('sv')['import.summary']!));
    expect(flat(r.stdout)).not.toContain(flat(catalogue('fi')['import.summary']!));
  });

  it('lists commands and topics in the language of the configured default', async () => {
    const home = tempDir();
    const set = await runBin(['config', 'set', 'defaults.language', 'sv'], {
      env: env({ HANDOVER_HOME: home }),
    });
    expect(set.exitCode).toBe(0);
    const r = await runBin(['--help'], { env: env({ HANDOVER_HOME: home }) });
    expect(r.exitCode).toBe(0);
    const sv = catalogue('sv');
    const out = flat(r.stdout);
    for (const key of ['root', 'topic.keys', 'header.TOPICS', 'header.COMMANDS', 'header.VERSION']) {
      expect(out, key).toContain(flat(sv[key]!));
    }
    // A command's summary in the list is its first line.
    expect(out).toContain(flat(sv['verify.summary']!.split('\n')[0]!));
  });

  it('still shows help when the config file is broken', async () => {
    const home = tempDir();
    writeFileSync(join(home, 'config.json'), '{ not json');
    const r = await runBin(['validate', '--help'], {
      env: env({ HANDOVER_HOME: home, HANDOVER_LANG: 'fi' }),
    });
    expect(r.exitCode).toBe(0);
    expect(flat(r.stdout)).toContain(flat(catalogue('fi')['validate.summary']!));
  });
});

describe('every example in --help (and so in the README, generated from them) is a command line that works', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, { id: string; relativePath: string[]; examples?: string[] }>;
  };
  /** The words after the command id: quotes group; an environment prefix and a redirection are the shell's. */
  const argvOf = (line: string, id: string): string[] => {
    const words = [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
    const start = words.indexOf('<%=') === -1 ? words.indexOf('handover') : words.indexOf('%>') + 1;
    const rest = words.slice(start + 1 + id.split(':').length);
    const cut = rest.findIndex((w) => w === '>' || w === '|');
    return cut === -1 ? rest : rest.slice(0, cut);
  };
  const cases = Object.values(manifest.commands).flatMap((c) =>
    (c.examples ?? []).map((e) => ({
      c,
      line: e,
      argv: argvOf(e.replace('<%= config.bin %>', 'handover'), c.id),
    })),
  );
  const load = async (c: { relativePath: string[] }) =>
    (
      await import(
        pathToFileURL(
          join(ROOT, ...c.relativePath)
            .replace(/[/\\]dist[/\\]/, '/src/')
            .replace(/\.js$/, '.ts'),
        ).href
      )
    ).default;

  it('every flag and option value of every example parses (no unknown flag, no value outside its options)', async () => {
    const failures: string[] = [];
    for (const { c, line, argv } of cases) {
      // oclif's own parser with the command's flags and arguments: parsed, never run.
      const Cmd = await load(c);
      await Parser.parse(argv, {
        flags: { ...Cmd.baseFlags, ...Cmd.flags, json: Flags.boolean() },
        args: Cmd.args,
        strict: Cmd.strict,
      }).catch((e: Error) => failures.push(`${line}: ${e.message}`));
    }
    expect(cases.length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  });

  it('every `config set` example sets its value (exit 0), the business ID passing our own check', async () => {
    const home = tempDir();
    writeFileSync(
      join(home, 'party.json'),
      JSON.stringify({ organization: { name: 'Pohjanmaan hyvinvointialue', businessId: '1234567-1' } }),
    );
    const sets = cases.filter((x) => x.c.id === 'config:set');
    expect(sets.length).toBeGreaterThan(3);
    for (const { c, line, argv } of sets) {
      const r = await runCommand(
        await load(c),
        argv.map((w) => (w === 'party.json' ? join(home, 'party.json') : w)),
        { HANDOVER_HOME: home },
      );
      expect([line, r.exitCode]).toEqual([line, 0]);
    }
  });
});

describe('help examples in the chosen language (issue 25)', () => {
  it('a reason and file names in the examples read in Swedish and Finnish', async () => {
    const sv = await runBin(['withdraw', '--help', '--lang', 'sv']);
    expect(sv.stdout).toContain('--reason "Den unga återkallade sitt samtycke 5.3.2026."');
    expect(sv.stdout).not.toContain('The youth withdrew');
    const fi = await runBin(['import', '--help', '--lang', 'fi']);
    expect(fi.stdout).toContain('import saapuneet/*.json --out kuittaukset --json');
  });
});
