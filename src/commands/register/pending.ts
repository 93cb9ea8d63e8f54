import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import {
  pendingRegister,
  REGISTER_FORMATS,
  type RegisterPendingResult,
  renderPending,
} from '../../services/register.js';

export default class RegisterPending extends BaseCommand {
  static override summary =
    'List every sent handover without a receipt, with its reply-by date and the days overdue or left.';
  static override examples = [
    '<%= config.bin %> register pending',
    '<%= config.bin %> register pending --overdue',
    '<%= config.bin %> register pending --older-than 2w --format csv',
  ];
  static override flags = {
    overdue: Flags.boolean({
      default: false,
      description: 'Only those past their reply-by date.',
    }),
    'older-than': Flags.string({
      description: 'Only those sent longer ago than this: hours, days or weeks, e.g. 36h, 14d, 2w.',
    }),
    format: Flags.option({
      options: REGISTER_FORMATS,
      default: 'table' as const,
      description: 'Output format.',
    })(),
  };

  async run(): Promise<RegisterPendingResult> {
    const { flags } = await this.parse(RegisterPending);
    const result = await pendingRegister({
      ...(flags['older-than'] !== undefined ? { olderThan: flags['older-than'] } : {}),
      overdue: flags.overdue,
    });
    if (!this.jsonEnabled()) {
      process.stdout.write(renderPending(result.entries, flags.format, this.lang));
      if (result.entries.length === 0 && flags.format === 'table')
        this.note(
          this.msg(
            flags.overdue
              ? 'register.pendingNoneOverdue'
              : flags['older-than'] !== undefined
                ? 'register.empty'
                : 'register.pendingNone',
          ),
        );
    }
    return result;
  }
}
