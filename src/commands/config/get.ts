import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type ConfigGetResult, configGet } from '../../services/config.js';

export default class ConfigGet extends BaseCommand {
  static override summary = 'Print one value of the organisation profile or defaults.';
  static override description =
    'Keys follow the Party shape of the handover file (organization.name, contact.email, …) plus defaults.*; `handover config list` shows those set. Exit 1 when the key has no value, 2 when the key is unknown.';
  static override examples = ['<%= config.bin %> config get organization.businessId'];
  static override args = {
    key: Args.string({ required: true, description: 'Dotted key, e.g. contact.email.' }),
  };

  async run(): Promise<ConfigGetResult> {
    const { args } = await this.parse(ConfigGet);
    const r = configGet({ key: args.key });
    if (!this.jsonEnabled()) this.log(`${r.value}`);
    return r;
  }
}
