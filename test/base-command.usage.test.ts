/**
 * The framework's own messages in the user's language (SPEC §3): every command's bad flag,
 * bad option value and --json error, in Finnish and Swedish, with no English sentence of
 * oclif's and a "did you mean" where a flag is near one the command has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runBin, runCommand } from './helpers/cli.js';

interface ManifestCommand {
  id: string;
  relativePath: string[];
  flags: Record<string, { type: string; options?: string[] }>;
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, ManifestCommand>;
};
const commands = Object.values(manifest.commands);

// oclif's own sentences, and the English catalogue's usage sentences.
const ENGLISH =
  /Nonexistent flag|Expected --|to be one of|See more help|Unknown flag|Did you mean|not allowed|Missing required|Help: /;

async function load(c: ManifestCommand) {
  const src = join(ROOT, ...c.relativePath)
    .replace(/[/\\]dist[/\\]/, '/src/')
    .replace(/\.js$/, '.ts');
  return (await import(pathToFileURL(src).href)).default;
}

describe.each(['fi', 'sv'] as const)('usage errors in %s', (lang) => {
  it.each(commands.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const Cmd = await load(c);
    const unknown = await runCommand(Cmd, ['--lang', lang, '--jsn']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).not.toMatch(ENGLISH);
    expect(unknown.stderr).toContain(lang === 'fi' ? 'Tarkoititko --json?' : 'Menade du --json?');

    const asJson = await runCommand(Cmd, ['--lang', lang, '--json', '--bogus']);
    expect(asJson.exitCode).toBe(2);
    const e = JSON.parse(asJson.stdout).error;
    expect(Object.keys(e).sort()).toEqual(['code', 'details', 'exit', 'message']);
    expect(e).toMatchObject({ code: 'USAGE', exit: 2 });
    expect(e.details.length).toBeGreaterThan(0);
    expect(e.message).not.toMatch(ENGLISH);

    const [name, flag] = Object.entries(c.flags).find(([n, f]) => f.options && n !== 'lang') ?? [];
    if (name && flag) {
      const bad = await runCommand(Cmd, ['--lang', lang, `--${name}=xml-nope`]);
      expect(bad.exitCode).toBe(2);
      expect(bad.stderr).not.toMatch(ENGLISH);
      expect(bad.stderr).toContain(flag.options!.join(', '));
    }
  });
});

describe('the framework in a subprocess', () => {
  it('an unknown command suggests the near one, in Swedish', async () => {
    const r = await runBin(['validat', '--lang', 'sv']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Menade du "validate"?');
  });

  it('a mistyped command with arguments still gets its suggestion, without repeating the arguments', async () => {
    const r = await runBin(['improt', 'Aino-Keksitty.json', '--lang', 'sv']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('handover: COMMAND_NOT_FOUND: Okänt kommando "improt". Menade du "import"?');
    expect(r.stderr).not.toContain('Aino');
    expect(r.stderr).not.toContain('›');
  });

  it('under --json an unknown command is our JSON error on stdout, not "› Error"', async () => {
    const r = await runBin(['regster', 'pending', '--json', '--lang', 'fi']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'COMMAND_NOT_FOUND', exit: 2, details: [] });
    expect(JSON.parse(r.stdout).error.message).toContain('"register pending"');
    expect(r.stderr).not.toContain('Error');
  });

  it('help marks required, default and options in Finnish', async () => {
    const r = await runBin(['new', '--help', '--lang', 'fi']);
    expect(r.stdout).toContain('<vaihtoehdot: fi|sv|en>');
    expect(r.stdout).not.toMatch(/\(required\)|\[default: |<options: |\benv: /);
  });
});
