import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type PurgeResult, purgeRegister } from '../../services/purge.js';

export default class RegisterPurge extends BaseCommand {
  static override summary = 'Remove what has passed its retention period (act 703/2023 annex).';
  static override description =
    "Removes the log events of use and disclosure older than 12 years, and a case's own rows only when named with --handover (their period runs from the client's death, which the register cannot know). Each purge is recorded in the audit chain with a count and a hash of what was removed.";
  static override examples = [
    '<%= config.bin %> register purge --dry-run',
    '<%= config.bin %> register purge --handover 3f6c2a1e-8d4b-4c1a-9e2f-1a2b3c4d5e6f',
  ];
  static override flags = {
    'dry-run': Flags.boolean({ description: 'Show what would happen; write nothing.' }),
    handover: Flags.string({
      multiple: true,
      description: "A handover whose rows the organisation's own record has reached its end for.",
    }),
  };

  async run(): Promise<PurgeResult> {
    const { flags } = await this.parse(RegisterPurge);
    const r = await purgeRegister({ dryRun: flags['dry-run'], handovers: flags.handover ?? [] });
    if (!this.jsonEnabled()) {
      const verb = r.dryRun ? 'Dry' : 'Done';
      this.log(
        this.msg(`register.purgeEvents${verb}`, {
          count: r.events.count,
          cutoff: r.cutoff,
          citation: r.citation,
        }),
      );
      for (const h of r.handovers)
        this.log(this.msg(`register.purgeHandover${verb}`, { id: h.id, count: h.rows }));
    }
    return r;
  }
}
