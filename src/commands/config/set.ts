import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import {
  CONFIG_KEYS,
  type ConfigSetResult,
  configSet,
  configSetFile,
  configUnset,
} from '../../services/config.js';

export default class ConfigSet extends BaseCommand {
  static override summary =
    'Set a value of the organisation profile or defaults, or load a whole Party file.';
  static override description =
    `Each value is checked with the rule a handover file would get (business ID check digit, municipality code, e-mail format): a bad value exits 1 with the rule code, an unknown key exits 2.

Keys: ${CONFIG_KEYS.map((k) => k.key).join(', ')}`;
  static override examples = [
    '<%= config.bin %> config set organization.name "Pohjanmaan hyvinvointialue"',
    '<%= config.bin %> config set organization.businessId 1234567-1',
    '<%= config.bin %> config set defaults.outputFolder ~/handovers',
    '<%= config.bin %> config set --file party.json',
    '<%= config.bin %> config set contact.phone --unset',
  ];
  static override args = {
    key: Args.string({ description: 'Dotted key, e.g. organization.businessId.' }),
    value: Args.string({ description: 'The value.' }),
  };
  static override flags = {
    file: Flags.string({
      description:
        'A JSON file with a whole Party {organization, contact, backupContact}: replaces the saved one.',
      exclusive: ['unset'],
    }),
    unset: Flags.boolean({ description: 'Remove the key.' }),
  };

  async run(): Promise<ConfigSetResult> {
    const { args, flags } = await this.parse(ConfigSet);
    let r: ConfigSetResult;
    if (flags.file) {
      if (args.key) this.error(this.msg('config.USAGE_FILE_AND_KEY'), { exit: 2 });
      r = await configSetFile({ file: flags.file, lang: this.lang });
    } else if (!args.key) {
      this.error(this.msg('config.USAGE_KEY'), { exit: 2 });
    } else if (flags.unset) {
      r = await configUnset({ key: args.key });
    } else if (args.value === undefined) {
      this.error(this.msg('config.USAGE_VALUE', { key: args.key }), { exit: 2 });
    } else {
      r = await configSet({ key: args.key, value: args.value, lang: this.lang });
    }
    if (!this.jsonEnabled()) {
      for (const [k, v] of Object.entries(r.set)) this.note(this.msg('config.SET', { key: k, value: v }));
      for (const k of r.unset) this.note(this.msg('config.UNSET', { key: k }));
    }
    return r;
  }
}
