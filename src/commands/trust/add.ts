import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { terminalAsk } from '../../prompts/inquirer.js';
import { type CertificateHolder, type TrustInfo, trustAdd } from '../../services/trust.js';

export default class TrustAdd extends BaseCommand {
  static override summary = "Trust a partner organisation's certificate (PEM or DER).";
  static override description =
    'Signatures by this certificate, or by certificates it issued, are then accepted by `verify` and `import`. No trust on first use: the SHA-256 fingerprint must have been compared with the partner by another channel (phone, in person). On a terminal you are asked to confirm that; without one, --fingerprint is required (exit 2 without it, exit 1 when it does not match).';
  static override examples = [
    '<%= config.bin %> trust add partner.pem --name pohjanmaa',
    '<%= config.bin %> trust add partner.pem --fingerprint 3A:5F:…:C2',
    '<%= config.bin %> trust add partner.pem --fingerprint 3a5f…c2 --business-id 0201256-6',
    '<%= config.bin %> trust add coordinator.pem --fingerprint 3A:5F:…:C2 --role directory',
  ];
  static override args = { file: Args.string({ required: true, description: 'Certificate file.' }) };
  static override flags = {
    name: Flags.string({ description: 'Name for the entry (default: from the certificate).' }),
    fingerprint: Flags.string({
      description: 'SHA-256 fingerprint the partner gave you by another channel (hex, colons optional).',
    }),
    'business-id': Flags.string({
      description: 'Business ID this certificate speaks for, when the certificate names none.',
    }),
    role: Flags.option({
      options: ['partner', 'directory'] as const,
      default: 'partner' as const,
      description:
        'partner: accept its signatures on handovers and receipts; directory: accept it only as the signer of the partner directory.',
    })(),
  };

  async run(): Promise<TrustInfo & { added: boolean }> {
    const { args, flags } = await this.parse(TrustAdd);
    const interactive = Boolean(process.stdin.isTTY) && !process.env.CI && !this.jsonEnabled();
    const confirm = async (fingerprint: string, whose: CertificateHolder) =>
      (await terminalAsk({ lang: this.lang })).confirm({
        message: `${this.msg('trust.whose', {
          subject: this.inline(whose.subject),
          organization: this.inline(whose.organization ?? '–'),
          businessId: whose.businessId ?? this.msg('trust.noBusinessId'),
          notBefore: whose.notBefore.slice(0, 10),
          notAfter: whose.notAfter.slice(0, 10),
        })}\n${this.msg('trust.confirmPrompt', { fingerprint })}`,
        default: false,
      });
    const r = await trustAdd({
      file: args.file,
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.fingerprint ? { fingerprint: flags.fingerprint } : {}),
      ...(flags['business-id'] ? { businessId: flags['business-id'] } : {}),
      ...(interactive ? { confirm } : {}),
      role: flags.role,
    });
    if (!this.jsonEnabled()) {
      this.log(this.msg(r.added ? 'trust.added' : 'trust.already', { name: r.name, subject: r.subject }));
      this.log(this.msg('trust.fingerprintLine', { fingerprint: r.fingerprint256 }));
      if (r.businessId) this.log(this.msg('trust.boundLine', { businessId: r.businessId }));
    }
    return r;
  }
}
