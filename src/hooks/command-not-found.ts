/** An unknown command is a usage error: exit 2 (SPEC §3), not oclif's 127. */
import { Errors, type Hook } from '@oclif/core';
import { configuredLanguage } from '../config/store.js';
import { langFromArgv, resolveLang, t } from '../i18n/index.js';

const hook: Hook<'command_not_found'> = async (opts) => {
  const message = t(
    'errors.COMMAND_NOT_FOUND',
    resolveLang(langFromArgv(opts.argv ?? []), configuredLanguage()),
    {
      id: opts.id.replace(/:/g, ' '),
      bin: opts.config.bin,
    },
  );
  throw new Errors.CLIError(message, { exit: 2 });
};

export default hook;
