#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import module from 'node:module';

// Node 20 is past its end of life: a tool that carries young people's data runs on a
// supported line only. Exit 4: the environment is not usable (SPEC §3).
const [major, minor] = process.versions.node.split('.').map(Number);
if (!((major === 22 && minor >= 22) || (major === 24 && minor >= 15) || major >= 26)) {
  // Before any catalogue code can load: the message comes straight from the catalogue file,
  // in the language of HANDOVER_LANG or the locale (the order of resolveLang, less the config).
  const env = process.env;
  const wanted = (env.HANDOVER_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '').slice(0, 2);
  const lang = ['fi', 'sv'].includes(wanted) ? wanted : 'en';
  let text = `handover needs Node.js 22.22+ or 24.15+ (this is {version}).`;
  try {
    const file = new URL(`../templates/messages/${lang}/errors.json`, import.meta.url);
    text = JSON.parse(readFileSync(file, 'utf8')).NODE_UNSUPPORTED || text;
  } catch {}
  process.stderr.write(`${text.replace('{version}', process.version)}\n`);
  process.exit(4);
}

// Cache V8's compiled code between runs: start-up is a feature for scripted batch use.
module.enableCompileCache?.();

// No top-level await: a reader that closes the pipe early (`| head`) must not leave an
// unsettled await behind, and oclif handles its own errors and exit code.
import('@oclif/core').then(({ execute }) => execute({ dir: import.meta.url }));
