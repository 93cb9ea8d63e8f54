import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import {
  pendingRegister,
  REGISTER_FORMATS,
  type RegisterPendingResult,
  renderRegister,
} from '../../services/register.js';

export default class RegisterPending extends BaseCommand {
  static override summary =
    'List sent handovers without a receipt past their reply-by date, or, for a file that names none, older than a given time.';
  static override examples = [
    '<%= config.bin %> register pending',
    '<%= config.bin %> register pending --older-than 2w --format csv',
  ];
  static override flags = {
    'older-than': Flags.string({
      default: '14d',
      description: 'Age without a receipt: hours, days or weeks, e.g. 36h, 14d, 2w.',
    }),
    format: Flags.option({
      options: REGISTER_FORMATS,
      default: 'table' as const,
      description: 'Output format.',
    })(),
  };

  async run(): Promise<RegisterPendingResult> {
    const { flags } = await this.parse(RegisterPending);
    const result = await pendingRegister({ olderThan: flags['older-than'] });
    if (!this.jsonEnabled()) {
      process.stdout.write(await renderRegister(result.entries, flags.format, this.lang));
      // Right after sending the list is empty by design: say why, and how to see everything.
      if (result.entries.length === 0)
        this.note(this.msg('register.pendingNone', { olderThan: flags['older-than'] }));
    }
    return result;
  }
}
