import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { pkcs11PinAsker } from '../../prompts/passphrase.js';
import { type DirectoryBuildResult, directoryBuild } from '../../services/directory.js';

export default class DirectoryBuild extends BaseCommand {
  static override summary = 'Build and sign the partner directory (for the coordinator).';
  static override description =
    'Reads the organisations from a JSON file (an array of entries, or an object with "entries": business ID, names per language, languages, contacts, billing, ombudsman and base64 DER certificates), checks them (business IDs, no duplicates, every certificate readable and naming its own organisation), and signs the directory with your key. Each organisation then trusts your certificate once with `trust add --role directory` and imports every new sequence with `trust import-directory` or `trust refresh`.';
  static override examples = [
    '<%= config.bin %> directory build entries.json --sequence 1 --next-update 2027-03-31',
    '<%= config.bin %> directory build entries.json --sequence 2 --next-update 2027-06-30 --out directory.json',
  ];
  static override args = {
    entries: Args.string({ required: true, description: 'JSON file with the entries.' }),
  };
  static override flags = {
    sequence: Flags.integer({
      required: true,
      min: 1,
      description: 'Sequence number: higher than every directory published before.',
    }),
    'next-update': Flags.string({
      required: true,
      description: 'Date (yyyy-mm-dd) by which the next directory is published; after it this one is stale.',
    }),
    out: Flags.string({ char: 'o', description: 'Output file (default: directory-<sequence>.json).' }),
    force: Flags.boolean({ description: 'Replace an existing output file.' }),
    alias: Flags.string({ description: 'Signing key alias (default: defaults.keyAlias, else "default").' }),
    store: Flags.option({
      options: ['keychain', 'file'] as const,
      description: 'Key store (default: where the key was put).',
    })(),
  };

  async run(): Promise<DirectoryBuildResult> {
    const { args, flags } = await this.parse(DirectoryBuild);
    const r = await directoryBuild({
      pin: pkcs11PinAsker(this.lang),
      entriesFile: args.entries,
      sequence: flags.sequence,
      nextUpdate: flags['next-update'],
      out: flags.out,
      force: flags.force,
      alias: flags.alias,
      store: flags.store,
    });
    if (!this.jsonEnabled())
      this.log(
        this.msg('directory.built', {
          file: r.output,
          sequence: r.sequence,
          entries: r.entries,
          nextUpdate: r.nextUpdate.slice(0, 10),
        }),
      );
    return r;
  }
}
