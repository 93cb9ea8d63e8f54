import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { type SealResult, seal } from '../services/seal.js';

export default class Seal extends BaseCommand {
  static override summary = "Encrypt files for a recipient's certificate (CMS, .p7m).";
  static override description =
    'Each file is encrypted as CMS EnvelopedData (AES-256-CBC, RSA-OAEP key transport) into <file>.p7m, which the recipient opens with `handover open`, `handover import` or `openssl cms -decrypt`.';
  static override strict = false;
  static override args = { files: Args.string({ required: true, description: 'Files to seal.' }) };
  static override examples = [
    '<%= config.bin %> seal 20260301-6f1c2d3e.handover.json 20260301-6f1c2d3e.cover-letter.pdf --to vaasa',
    '<%= config.bin %> seal handover.json --to recipient.pem --out outbox/',
  ];
  static override flags = {
    to: Flags.string({
      required: true,
      description:
        'Recipient: a certificate file (a path, or a name ending .pem/.crt/.cer/.der), else a trust store entry by name, unique name prefix, business ID or fingerprint.',
    }),
    out: Flags.string({ description: 'Output folder (default: beside each file).' }),
    force: Flags.boolean({ description: 'Replace existing .p7m files.' }),
  };

  async run(): Promise<SealResult> {
    const { argv, flags } = await this.parse(Seal);
    const result = await seal({
      files: argv as string[],
      to: flags.to,
      outDir: flags.out,
      force: flags.force,
    });
    if (!this.jsonEnabled()) {
      // Whose certificate, always: a name alone could be anyone's entry (issue 22.7).
      const r = result.recipient;
      for (const f of result.files)
        this.log(
          this.msg(r.businessId ? 'seal.sealed' : 'seal.sealed_noId', {
            file: f.input,
            out: f.output,
            recipient: r.organization,
            businessId: r.businessId ?? '',
            fingerprint: r.fingerprint256,
          }),
        );
    }
    return result;
  }
}
