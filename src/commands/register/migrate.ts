import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT, HandoverError } from '../../core/errors.js';
import { type MigrateResult, migrateRegister } from '../../services/migrate.js';

export default class RegisterMigrate extends BaseCommand {
  static override summary =
    "Copy this worker's register, trust store, audit log and organisation profile into the office's PostgreSQL database, and verify the copy.";
  static override description =
    "The SQLite register is only read, never changed. Run it once on each worker's machine, always into the same database: rows merge by id (a different row under the same id is reported as a conflict, exit 1, and never overwritten), and each audit log becomes a chain of its own that `handover audit --verify` checks. Running it again copies nothing twice. Then set the database on each worker's machine with `handover config set register.url <url>`.";
  static override examples = [
    '<%= config.bin %> register migrate --to postgres://handover@db.example.fi/handover',
    '<%= config.bin %> register migrate --to "$HANDOVER_DATABASE_URL" --json',
  ];
  static override flags = {
    to: Flags.string({
      required: true,
      description: 'The PostgreSQL database (postgres://user@host:port/database).',
    }),
    from: Flags.string({ description: 'The SQLite register to copy (default: the one in HANDOVER_HOME).' }),
  };

  async run(): Promise<MigrateResult> {
    const { flags } = await this.parse(RegisterMigrate);
    if (!/^postgres(ql)?:\/\//i.test(flags.to))
      throw new HandoverError('DATABASE_URL_INVALID', EXIT.usage, {
        key: 'register.DATABASE_URL_INVALID',
        vars: { url: flags.to.slice(0, 40) },
      });
    const r = await migrateRegister({ to: flags.to, ...(flags.from ? { from: flags.from } : {}) });
    if (!this.jsonEnabled()) {
      this.log(
        this.msg('register.migrated', {
          to: r.to,
          handovers: r.handovers.copied,
          handoversAlready: r.handovers.already,
          receipts: r.receipts.copied,
          withdrawals: r.withdrawals.copied,
          trust: r.trust.copied,
          crls: r.crls.copied,
          lines: r.audit.lines,
          chain: r.audit.chain,
        }),
      );
      this.log(this.msg(`register.migrateProfile_${r.profile}`));
      if (r.directory.signers > 0 || r.directory.sequence !== null)
        this.log(
          this.msg('register.migrateDirectory', {
            signers: r.directory.signers,
            sequence: r.directory.sequence ?? '–',
          }),
        );
    }
    if (r.conflicts.length > 0)
      throw new HandoverError('REGISTER_MIGRATE_CONFLICT', EXIT.invalid, {
        key: 'register.REGISTER_MIGRATE_CONFLICT',
        vars: { count: r.conflicts.length },
        details: r.conflicts.map((c) => ({
          rule: 'ID_CONFLICT',
          pointer: `/${c.table}/${c.id}`,
          message: c.id,
        })),
      });
    return r;
  }
}
