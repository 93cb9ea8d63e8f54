import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import {
  HANDOVER_STATUSES,
  listRegister,
  REGISTER_FORMATS,
  type RegisterListResult,
  renderRegister,
} from '../../services/register.js';

export default class RegisterList extends BaseCommand {
  static override summary = 'List the handovers this organisation has sent and received.';
  static override description =
    'Metadata only: ids, parties, dates, hashes and status. CSV output is safe to open in a spreadsheet.';
  static override examples = [
    '<%= config.bin %> register list',
    '<%= config.bin %> register list --status sent --format csv > sent.csv',
  ];
  static override flags = {
    status: Flags.option({ options: HANDOVER_STATUSES, description: 'Only handovers with this status.' })(),
    format: Flags.option({
      options: REGISTER_FORMATS,
      default: 'table' as const,
      description: 'Output format.',
    })(),
  };

  async run(): Promise<RegisterListResult> {
    const { flags } = await this.parse(RegisterList);
    const result = await listRegister(flags.status ? { status: flags.status } : {});
    if (!this.jsonEnabled())
      process.stdout.write(await renderRegister(result.entries, flags.format, this.lang));
    return result;
  }
}
