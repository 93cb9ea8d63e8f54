import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type TrustInfo, trustRemove } from '../../services/trust.js';

export default class TrustRemove extends BaseCommand {
  static override summary = 'Stop trusting a certificate, by name or SHA-256 fingerprint.';
  static override examples = ['<%= config.bin %> trust remove pohjanmaa'];
  static override args = {
    entry: Args.string({ required: true, description: 'Name or SHA-256 fingerprint.' }),
  };

  async run(): Promise<TrustInfo> {
    const { args } = await this.parse(TrustRemove);
    const r = await trustRemove({ nameOrFingerprint: args.entry });
    if (!this.jsonEnabled()) this.log(this.msg('trust.removed', { name: r.name, subject: r.subject }));
    return r;
  }
}
