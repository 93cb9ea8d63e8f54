/** An unknown command is a usage error: exit 2 (SPEC §3), not oclif's 127, with a "did you mean". */
import { Errors, type Hook } from '@oclif/core';
import { suggest } from '../cli/usage.js';
import { configuredLanguage } from '../config/store.js';
import { langFromArgv, resolveLang, t } from '../i18n/index.js';

const hook: Hook<'command_not_found'> = async (opts) => {
  const id = opts.id.replace(/:/g, ' ');
  const near = suggest(
    id,
    opts.config.commandIDs.map((c) => c.replace(/:/g, ' ')),
  );
  const message = t(
    near ? 'errors.COMMAND_NOT_FOUND_NEAR' : 'errors.COMMAND_NOT_FOUND',
    resolveLang(langFromArgv(opts.argv ?? []), configuredLanguage()),
    { id, bin: opts.config.bin, ...(near ? { suggestion: near } : {}) },
  );
  throw new Errors.CLIError(message, { exit: 2 });
};

export default hook;
