import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { type WithdrawResult, withdraw } from '../services/withdraw.js';

export default class Withdraw extends BaseCommand {
  static override summary = 'Write a signed withdrawal notice for a handover this organisation sent.';
  static override description =
    'The notice (kind "withdrawal") names the handover, the reason and the time, and is signed like a handover. The sent handover is marked withdrawn in the register. A correction is a new handover with `supersedes` instead.';
  static override examples = [
    '<%= config.bin %> withdraw 20260302-6f1c3a52.handover.json --reason "The youth withdrew consent on 5.3.2026."',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'The handover file that was sent.' }),
  };
  static override flags = {
    reason: Flags.string({
      required: true,
      description: 'Why the handover is withdrawn (sent to the recipient).',
    }),
    out: Flags.string({
      description: 'Folder for the notice (default: configured output folder, else here).',
    }),
    force: Flags.boolean({ description: 'Replace an existing notice file.' }),
    'key-alias': Flags.string({ description: 'Signing key (default: configured alias).' }),
  };

  async run(): Promise<WithdrawResult> {
    const { args, flags } = await this.parse(Withdraw);
    const result = await withdraw({
      pin: this.pin,
      file: args.file,
      reason: flags.reason,
      out: flags.out,
      force: flags.force,
      keyAlias: flags['key-alias'],
    });
    if (!this.jsonEnabled()) {
      const key = result.already ? 'withdraw.done_already' : 'withdraw.done';
      this.log(this.msg(key, { id: result.handoverId, file: result.file }));
    }
    return result;
  }
}
