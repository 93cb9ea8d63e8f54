/**
 * An unknown command is a usage error: exit 2 (SPEC §3), not oclif's 127, with a "did you
 * mean". oclif joins the arguments to the words it could not place ("improt a.json"), so the
 * suggestion is sought for the longest leading words that come near a command, and only those
 * words are repeated (an argument may be a file name that names a person). Under --json the
 * error is our JSON error on stdout, as every command's is.
 */
import { Errors, type Hook } from '@oclif/core';
import { suggest } from '../cli/usage.js';
import { configuredLanguage } from '../config/store.js';
import { langFromArgv, resolveLang, t } from '../i18n/index.js';
import { escapeControl, jsonText } from '../io/escape.js';

const hook: Hook<'command_not_found'> = async (opts) => {
  const argv = opts.argv ?? [];
  const words = opts.id.split(/[: ]/).filter(Boolean);
  const known = opts.config.commandIDs.map((c) => c.replace(/:/g, ' '));
  let id = words[0] ?? opts.id;
  let near: string | undefined;
  for (let n = words.length; n > 0 && !near; n--) {
    const typed = words.slice(0, n).join(' ');
    near = suggest(typed, known);
    if (near) id = typed;
  }
  const message = t(
    near ? 'errors.COMMAND_NOT_FOUND_NEAR' : 'errors.COMMAND_NOT_FOUND',
    resolveLang(langFromArgv(argv), configuredLanguage()),
    { id, bin: opts.config.bin, ...(near ? { suggestion: near } : {}) },
  );
  if (argv.includes('--json') || process.argv.includes('--json')) {
    process.stdout.write(
      `${jsonText({ error: { code: 'COMMAND_NOT_FOUND', message, exit: 2, details: [] } }, 2)}\n`,
    );
  } else {
    // The same shape as every command's error (base-command), not oclif's "› Error".
    process.stderr.write(`${escapeControl(`${opts.config.bin}: COMMAND_NOT_FOUND: ${message}`)}\n`);
  }
  Errors.exit(2);
};

export default hook;
