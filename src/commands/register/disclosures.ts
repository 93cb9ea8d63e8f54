import { BaseCommand } from '../../cli/base-command.js';
import { EXIT, HandoverError } from '../../core/errors.js';
import { identityCodesText } from '../../prompts/identity-codes.js';
import { type DisclosuresResult, lookupDisclosures, splitCodes } from '../../services/disclosures.js';

export default class RegisterDisclosures extends BaseCommand {
  static override summary = "List who received a youth's data (act 703/2023 11 §).";
  static override description =
    "Asks for the identity code on a terminal, or reads it from standard input (never an argument): every code the youth has had, separated by spaces. Lists the disclosures of that youth's data to other organisations that this register logged: when, to whom, which categories, on what basis and which document. The look-up itself is logged.";
  static override examples = [
    '<%= config.bin %> register disclosures',
    'printf "020506A950H 020506A123B" | <%= config.bin %> register disclosures --json',
  ];

  // Not strict: an identity code typed as an argument is refused here without being echoed
  // (oclif's own error would print it back).
  static override strict = false;

  async run(): Promise<DisclosuresResult> {
    const { argv } = await this.parse(RegisterDisclosures);
    if (argv.length > 0)
      throw new HandoverError('IDENTITY_CODE_AS_ARGUMENT', EXIT.usage, {
        key: 'register.IDENTITY_CODE_AS_ARGUMENT',
      });
    const codes = splitCodes(await identityCodesText(this.lang));
    const result = await lookupDisclosures({ codes });
    if (!this.jsonEnabled()) {
      if (result.disclosures.length === 0) this.log(this.msg('register.disclosuresNone'));
      else this.log(this.msg('register.disclosuresHeader', { count: result.disclosures.length }));
      for (const d of result.disclosures) {
        const categories = d.categories.map((c) => this.msg(`show.category.${c}`)).join(', ');
        const basis = d.basis === 'consent' ? this.msg('show.basis.consent') : (d.basis ?? '-');
        this.log(
          this.msg(`register.disclosure_${d.action === 'withdrawal' ? 'withdrawal' : 'sent'}`, {
            at: d.at,
            receiver: d.receiverName ?? '-',
            businessId: d.receiverBusinessId ?? '-',
            categories: categories || '-',
            basis,
            document: d.documentId ?? '-',
            sha256: d.sha256 ?? '-',
          }),
        );
      }
    }
    return result;
  }
}
