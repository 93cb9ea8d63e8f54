import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type RemoveResult, removeKey } from '../../services/keys.js';

export default class KeysRemove extends BaseCommand {
  static override summary = 'Remove a signing key from its store, with its certificate.';
  static override examples = ['<%= config.bin %> keys remove old-key'];
  static override args = { alias: Args.string({ required: true, description: 'Key alias.' }) };
  static override flags = {
    store: Flags.option({
      options: ['keychain', 'file'] as const,
      description: 'Store to remove from (default: where the key was put).',
    })(),
  };

  async run(): Promise<RemoveResult> {
    const { args, flags } = await this.parse(KeysRemove);
    const r = await removeKey({ alias: args.alias, store: flags.store });
    if (!this.jsonEnabled()) this.log(this.msg('keys.removed', { alias: r.alias }));
    return r;
  }
}
