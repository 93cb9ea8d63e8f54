// Writes templates/messages/en/help.json, the English help catalogue, from the built commands
// (oclif.manifest.json): the commands' own texts are the English source, and the Finnish and
// Swedish catalogues translate the same keys (the catalogue parity test holds them equal).
// `--check` fails when the committed catalogue is not current (used by `npm test`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const check = process.argv.includes('--check');
const target = 'templates/messages/en/help.json';
const manifest = JSON.parse(readFileSync('oclif.manifest.json', 'utf8'));
const pjson = JSON.parse(readFileSync('package.json', 'utf8'));

const out = {
  // oclif's section headers, and the help flag that oclif adds to every command.
  'header.USAGE': 'USAGE',
  'header.ARGUMENTS': 'ARGUMENTS',
  'header.FLAGS': 'FLAGS',
  'header.GLOBAL FLAGS': 'GLOBAL FLAGS',
  'header.DESCRIPTION': 'DESCRIPTION',
  'header.ALIASES': 'ALIASES',
  'header.EXAMPLES': 'EXAMPLES',
  'header.FLAG DESCRIPTIONS': 'FLAG DESCRIPTIONS',
  'header.COMMANDS': 'COMMANDS',
  'header.TOPICS': 'TOPICS',
  'header.VERSION': 'VERSION',
  // The marks oclif puts beside a flag: "(required)", "[default: …]", "[env: …]", "<options: …>".
  'meta.required': 'required',
  'meta.default': 'default',
  'meta.env': 'env',
  'meta.options': 'options',
  root: pjson.oclif.description ?? pjson.description,
};
// Flags in a help group (GLOBAL, TESTING, …) get a section of their own: "<GROUP> FLAGS".
for (const cmd of Object.values(manifest.commands))
  for (const f of Object.values(cmd.flags))
    if (f.helpGroup)
      out[`header.${f.helpGroup.toUpperCase()} FLAGS`] ??= `${f.helpGroup.toUpperCase()} FLAGS`;
for (const [name, topic] of Object.entries(pjson.oclif.topics ?? {}))
  out[`topic.${name}`] = topic.description;

// A flag with the same text in every command (--json, --lang, --force, …) has one key.
const texts = new Map();
for (const cmd of Object.values(manifest.commands))
  for (const [name, f] of Object.entries(cmd.flags)) {
    const s = texts.get(name) ?? new Set();
    s.add(f.summary ?? f.description ?? '');
    texts.set(name, s);
  }
for (const id of Object.keys(manifest.commands).sort()) {
  const cmd = manifest.commands[id];
  if (cmd.summary) out[`${id}.summary`] = cmd.summary;
  if (cmd.description) out[`${id}.description`] = cmd.description;
  for (const [name, a] of Object.entries(cmd.args ?? {}))
    if (a.description) out[`${id}.arg.${name}`] = a.description;
  // Examples too: file and folder names, and a reason in words, read in the help's language.
  (cmd.examples ?? []).forEach((e, i) => {
    const text = typeof e === 'string' ? e : e.command;
    if (text) out[`${id}.example.${i}`] = text;
  });
  for (const [name, f] of Object.entries(cmd.flags)) {
    const text = f.summary ?? f.description;
    if (!text) continue;
    out[texts.get(name).size === 1 ? `flag.${name}` : `${id}.flag.${name}`] = text;
  }
}

const json = `${JSON.stringify(out, null, 2)}\n`;
if (check) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== json) {
    console.error(
      `${target} is out of date: run \`npm run readme\` and commit it (and its fi and sv translations).`,
    );
    process.exit(1);
  }
} else writeFileSync(target, json);
