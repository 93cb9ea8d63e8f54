import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { type TrustInfo, trustAdd } from '../../services/trust.js';

export default class TrustAdd extends BaseCommand {
  static override summary = "Trust a partner organisation's certificate (PEM or DER).";
  static override description =
    'Signatures by this certificate, or by certificates it issued, are then accepted by `verify` and `import`. Compare the fingerprint with the partner by another channel before trusting.';
  static override examples = ['<%= config.bin %> trust add partner.pem --name pohjanmaa'];
  static override args = { file: Args.string({ required: true, description: 'Certificate file.' }) };
  static override flags = {
    name: Flags.string({ description: 'Name for the entry (default: from the certificate).' }),
  };

  async run(): Promise<TrustInfo & { added: boolean }> {
    const { args, flags } = await this.parse(TrustAdd);
    const r = trustAdd({ file: args.file, name: flags.name });
    if (!this.jsonEnabled()) {
      this.log(this.msg(r.added ? 'trust.added' : 'trust.already', { name: r.name, subject: r.subject }));
      this.log(`  SHA-256 ${r.fingerprint256}`);
    }
    return r;
  }
}
