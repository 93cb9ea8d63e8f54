import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { tn } from '../i18n/index.js';
import { type AuditResult, runAudit } from '../services/audit.js';

export default class Audit extends BaseCommand {
  static override summary = 'List the audit log; with --verify, check its hash chain.';
  static override description =
    'Each line of the audit log carries the SHA-256 of the line before it. --verify reports an edited, removed or reordered line with its line number and exits 1 when the chain is broken.';
  static override examples = ['<%= config.bin %> audit', '<%= config.bin %> audit --verify --json'];
  static override flags = {
    verify: Flags.boolean({ description: 'Check the hash chain (exit 1 when broken).' }),
    last: Flags.integer({ min: 0, description: 'List only the last N entries (the check covers all).' }),
  };

  async run(): Promise<AuditResult> {
    const { flags } = await this.parse(Audit);
    const result = await runAudit({ verify: flags.verify, last: flags.last });
    const v = result.verification;
    if (!this.jsonEnabled()) {
      if (result.entries.length === 0) this.log(this.msg('audit.empty'));
      for (const e of result.entries) {
        const cols = [
          e.time,
          e.event.padEnd(8),
          e.outcome.padEnd(9),
          (e.handoverId ?? '-').slice(0, 8).padEnd(8),
        ];
        this.log(`${String(e.line).padStart(5)}  ${cols.join('  ')}  ${(e.sha256 ?? '-').slice(0, 12)}`);
      }
      if (v?.ok)
        this.log(this.msg('audit.intact', { lines: tn('audit.lines', this.lang, v.lines), head: v.head }));
      // An office keeps a chain per migrated worker's log besides its own: each is told.
      for (const c of v?.chains?.slice(1) ?? [])
        this.log(
          this.msg('audit.chain', {
            name: c.name,
            lines: tn('audit.lines', this.lang, c.lines),
            head: c.head,
            state: this.msg(c.ok ? 'audit.chainIntact' : 'audit.chainBroken'),
          }),
        );
    }
    if (v && !v.ok) {
      throw new HandoverError('AUDIT_CHAIN_BROKEN', EXIT.invalid, {
        key: 'audit.AUDIT_CHAIN_BROKEN',
        vars: {
          problems: tn('audit.problems', this.lang, v.problems.length),
          lines: tn('audit.lines', this.lang, v.lines),
        },
        details: v.problems.map((p) => ({
          ...p,
          message: this.msg(`audit.problem_${p.kind}`, {
            line: p.line,
            missing: tn('audit.lines', this.lang, p.missing ?? 0),
          }),
        })),
      });
    }
    return result;
  }
}
