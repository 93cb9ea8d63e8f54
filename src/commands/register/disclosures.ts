import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT, HandoverError } from '../../core/errors.js';
import { identityCodesText } from '../../prompts/identity-codes.js';
import {
  type DisclosuresResult,
  lookupDisclosures,
  splitCodes,
  writeDisclosureExtract,
} from '../../services/disclosures.js';

export default class RegisterDisclosures extends BaseCommand {
  static override summary = "List who received a youth's data (act 703/2023 11 §).";
  static override description =
    "Asks for the identity code on a terminal, or reads it from standard input (never an argument): every code the youth has had, separated by spaces. Lists the disclosures of that youth's data to other organisations that this register logged: when, to whom, which categories, on what basis and which document. The look-up itself is logged.";
  static override examples = [
    '<%= config.bin %> register disclosures',
    'printf "020506A950H 020506A963X" | <%= config.bin %> register disclosures --json',
    '<%= config.bin %> register disclosures --format pdf --out extract.pdf --youth-lang fi',
  ];

  static override flags = {
    format: Flags.option({
      options: ['text', 'pdf'] as const,
      default: 'text' as const,
      description:
        'text: list them here; pdf: also write a signed plain-language extract to hand to the young person.',
    })(),
    out: Flags.string({ description: 'Where the PDF extract goes (with --format pdf).' }),
    'youth-lang': Flags.option({
      options: ['fi', 'sv', 'en'] as const,
      description: "Language of the extract: the young person's (default: the language of this command).",
    })(),
    force: Flags.boolean({ description: 'Replace an existing output file.' }),
  };

  // Not strict: an identity code typed as an argument is refused here without being echoed
  // (oclif's own error would print it back).
  static override strict = false;

  async run(): Promise<DisclosuresResult> {
    const { argv, flags } = await this.parse(RegisterDisclosures);
    if (argv.length > 0)
      throw new HandoverError('IDENTITY_CODE_AS_ARGUMENT', EXIT.usage, {
        key: 'register.IDENTITY_CODE_AS_ARGUMENT',
      });
    const codes = splitCodes(await identityCodesText(this.lang));
    if (flags.format === 'pdf' && !flags.out)
      throw new HandoverError('USAGE', EXIT.usage, { key: 'register.EXTRACT_OUT_MISSING' });
    const result: DisclosuresResult & { extract?: { file: string; sha256: string } } =
      await lookupDisclosures({
        codes,
      });
    if (flags.format === 'pdf' && flags.out)
      result.extract = await writeDisclosureExtract(result, {
        out: flags.out,
        lang: flags['youth-lang'] ?? this.lang,
        force: flags.force,
        pin: this.pin,
      });
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
    if (result.extract && !this.jsonEnabled())
      this.log(this.msg('register.extractWritten', { file: result.extract.file }));
    return result;
  }
}
