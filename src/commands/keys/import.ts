import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { p12Passphrase } from '../../prompts/passphrase.js';
import { importKey, type KeyResult } from '../../services/keys.js';

export default class KeysImport extends BaseCommand {
  static override summary =
    "Import the organisation's key and certificate chain from a PKCS#12 (.p12/.pfx) file.";
  static override description =
    'The private key goes into the key store; the certificate chain is kept under HANDOVER_HOME/keys/. The passphrase comes from HANDOVER_P12_PASSPHRASE (or the variable named by --passphrase-env); only on a terminal is it asked for.';
  static override examples = ['HANDOVER_P12_PASSPHRASE=… <%= config.bin %> keys import org.p12 --alias org'];
  static override args = { file: Args.string({ required: true, description: 'The PKCS#12 file.' }) };
  static override flags = {
    alias: Flags.string({ description: 'Name of the key (default: defaults.keyAlias, else "default").' }),
    store: Flags.option({
      options: ['keychain', 'file'] as const,
      description: 'Where the private key is kept (default: defaults.keyStore, else keychain).',
    })(),
    'passphrase-env': Flags.string({
      description: 'Environment variable that holds the PKCS#12 passphrase.',
      default: 'HANDOVER_P12_PASSPHRASE',
    }),
    force: Flags.boolean({ description: 'Replace an existing key with the same alias.' }),
  };

  async run(): Promise<KeyResult> {
    const { args, flags } = await this.parse(KeysImport);
    const passphrase = await p12Passphrase({ envName: flags['passphrase-env'], lang: this.lang });
    const r = await importKey({
      file: args.file,
      passphrase,
      alias: flags.alias,
      store: flags.store,
      force: flags.force,
    });
    if (!this.jsonEnabled()) {
      this.log(
        this.msg('keys.imported', {
          alias: r.alias,
          store: this.msg(`keys.store_${r.store}`),
          count: r.chainLength,
          notAfter: r.certificate.notAfter.slice(0, 10),
        }),
      );
      this.log(this.msg('keys.subjectLine', { subject: r.certificate.subject }));
      this.log(this.msg('keys.fingerprintLine', { fingerprint: r.certificate.fingerprint256 }));
    }
    return r;
  }
}
