import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT, HandoverError } from '../../core/errors.js';
import { p12Passphrase } from '../../prompts/passphrase.js';
import { importKey, importTokenKey, type KeyResult } from '../../services/keys.js';

export default class KeysImport extends BaseCommand {
  static override summary =
    "Import the organisation's key and certificate chain from a PKCS#12 (.p12/.pfx) file, or record a key that stays in a PKCS#11 token.";
  static override description =
    'From a PKCS#12 file, the private key goes into the key store; the certificate chain is kept under HANDOVER_HOME/keys/. The passphrase comes from HANDOVER_P12_PASSPHRASE (or the variable named by --passphrase-env); it is asked for only when the command runs in a terminal. With --pkcs11, the key stays in the token (HSM or smart card) and is used there for every signature and for opening sealed files; the module, token and key labels and the certificate chain (from the token, or from --cert) are recorded in HANDOVER_HOME/keys/. The PIN comes from HANDOVER_PKCS11_PIN or is asked on a terminal, and is never stored.';
  static override examples = [
    'HANDOVER_P12_PASSPHRASE=… <%= config.bin %> keys import org.p12 --alias org',
    'HANDOVER_PKCS11_PIN=… <%= config.bin %> keys import --pkcs11 /usr/lib/softhsm/libsofthsm2.so --token office --key org --alias org',
  ];
  static override args = { file: Args.string({ required: false, description: 'The PKCS#12 file.' }) };
  static override flags = {
    alias: Flags.string({ description: 'Name of the key (default: defaults.keyAlias, else "default").' }),
    store: Flags.option({
      options: ['keychain', 'file'] as const,
      description: 'Where the private key is kept (default: defaults.keyStore, else keychain).',
      exclusive: ['pkcs11'],
    })(),
    'passphrase-env': Flags.string({
      description: 'Environment variable that holds the PKCS#12 passphrase.',
      default: 'HANDOVER_P12_PASSPHRASE',
    }),
    pkcs11: Flags.string({
      description: 'PKCS#11 module (shared library) of the token that holds the key.',
      dependsOn: ['token', 'key'],
    }),
    token: Flags.string({ description: 'Label of the token (with --pkcs11).', dependsOn: ['pkcs11'] }),
    key: Flags.string({
      description: 'Label of the private key in the token (with --pkcs11).',
      dependsOn: ['pkcs11'],
    }),
    cert: Flags.string({
      description: 'Certificate (chain, PEM or DER) of the token key, when the token holds none.',
      dependsOn: ['pkcs11'],
    }),
    force: Flags.boolean({ description: 'Replace an existing key with the same alias.' }),
  };

  async run(): Promise<KeyResult> {
    const { args, flags } = await this.parse(KeysImport);
    let r: KeyResult;
    if (flags.pkcs11 !== undefined) {
      if (args.file !== undefined)
        throw new HandoverError('PKCS11_WITH_FILE', EXIT.usage, { key: 'keys.PKCS11_WITH_FILE' });
      r = await importTokenKey({
        module: flags.pkcs11,
        token: flags.token!,
        key: flags.key!,
        pin: this.pin,
        cert: flags.cert,
        alias: flags.alias,
        force: flags.force,
      });
    } else {
      if (args.file === undefined)
        throw new HandoverError('IMPORT_SOURCE_MISSING', EXIT.usage, { key: 'keys.IMPORT_SOURCE_MISSING' });
      const passphrase = await p12Passphrase({ envName: flags['passphrase-env'], lang: this.lang });
      r = await importKey({
        file: args.file,
        passphrase,
        alias: flags.alias,
        store: flags.store,
        force: flags.force,
      });
    }
    if (!this.jsonEnabled()) {
      this.log(
        this.msg('keys.imported', {
          alias: r.alias,
          store: this.msg(`keys.store_${r.store}`),
          count: r.chainLength,
          notAfter: r.certificate.notAfter.slice(0, 10),
        }),
      );
      if (r.pkcs11) this.log(this.msg('keys.tokenLine', { token: r.pkcs11.token, key: r.pkcs11.key }));
      this.log(this.msg('keys.subjectLine', { subject: r.certificate.subject }));
      this.log(this.msg('keys.fingerprintLine', { fingerprint: r.certificate.fingerprint256 }));
    }
    return r;
  }
}
