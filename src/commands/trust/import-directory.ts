import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type DirectoryImportResult, trustImportDirectory } from '../../services/directory.js';

export default class TrustImportDirectory extends BaseCommand {
  static override summary = 'Import a signed partner directory.';
  static override description =
    'The directory must be signed by a certificate trusted with `trust add --role directory`, have a higher sequence than the last one imported (DIRECTORY_ROLLBACK) and not be past its next update (DIRECTORY_STALE). Its organisations then become trusted partners, each bound to its business ID; partners dropped from it are no longer trusted. Certificates you added by hand are never touched.';
  static override examples = [
    '<%= config.bin %> trust import-directory directory-7.json',
    '<%= config.bin %> trust import-directory directory-7.json --json',
  ];
  static override args = { file: Args.string({ required: true, description: 'Directory file.' }) };
  static override flags = {
    'allow-stale': Flags.boolean({
      description: 'Import a directory past its next update (with a warning) when no newer one can be had.',
    }),
  };

  async run(): Promise<DirectoryImportResult> {
    const { args, flags } = await this.parse(TrustImportDirectory);
    const r = await trustImportDirectory({ file: args.file, allowStale: flags['allow-stale'] });
    if (!this.jsonEnabled()) for (const line of directoryReport(r, (k, v) => this.msg(k, v))) this.log(line);
    return r;
  }
}

/** What an import changed, in the worker's words; `trust refresh` says the same. */
export function directoryReport(
  r: DirectoryImportResult,
  msg: (key: string, vars?: Record<string, string | number>) => string,
): string[] {
  // A first import adds all 23 organisers: a handful of IDs says enough, --json has them all.
  const list = (ids: string[]) =>
    ids.length === 0
      ? '–'
      : ids.length <= 6
        ? ids.join(', ')
        : `${ids.slice(0, 6).join(', ')}, … +${ids.length - 6}`;
  if (r.unchanged)
    return [msg('directory.unchanged', { sequence: r.sequence, nextUpdate: r.nextUpdate.slice(0, 10) })];
  return [
    msg('directory.imported', {
      sequence: r.sequence,
      issuer: r.issuer.name,
      businessId: r.issuer.businessId,
      entries: r.entries,
      nextUpdate: r.nextUpdate.slice(0, 10),
    }),
    msg('directory.added', { count: r.added.length, ids: list(r.added) }),
    msg('directory.renewed', { count: r.renewed.length, ids: list(r.renewed) }),
    msg('directory.removed', { count: r.removed.length, ids: list(r.removed) }),
    ...(r.stale ? [msg('directory.staleWarning', { nextUpdate: r.nextUpdate.slice(0, 10) })] : []),
  ];
}
