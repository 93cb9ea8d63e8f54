import { defineConfig } from 'vitest/config';

/**
 * Two tiers. `unit` runs the code in-process only: no subprocess of any kind (no bin/run.js,
 * openssl, poppler, qpdf, tmux, PostgreSQL or SoftHSM2); test/helpers/no-subprocess.ts makes
 * a spawn there fail. `e2e` is everything that starts a process: the built CLI, the tools that
 * check our output independently, the real database and token. A file is e2e because of what
 * it does, not where it lives; when one file did both, the subprocess half moved to a
 * `*.e2e.test.ts` beside it.
 */
const E2E = [
  'test/services/show-sealed.test.ts',
  'test/register/audit-launder.test.ts',
  'test/commands/config-office.test.ts',
  'test/services/import/letter-attacks.test.ts',
  'test/letter/law-letters.test.ts',
  'test/documents/objstm-bomb.test.ts',
  'test/commands/seal-to.test.ts',
  'test/e2e/**',
  'test/**/*.e2e.test.ts',
  'test/bin/run.test.ts',
  'test/base-command.test.ts',
  'test/base-command.usage.test.ts',
  'test/help.test.ts',
  'test/commands/audit.test.ts',
  'test/commands/import.test.ts',
  'test/commands/crl-attacks.test.ts',
  'test/commands/keys-passphrase.test.ts',
  'test/commands/trust-refresh-leaves.test.ts',
  'test/commands/keys-pkcs11.test.ts',
  'test/commands/keys-trust.test.ts',
  'test/commands/letter.test.ts',
  'test/commands/new.test.ts',
  'test/commands/schema.test.ts',
  'test/commands/seal-open.test.ts',
  'test/commands/show.test.ts',
  'test/commands/trust.test.ts',
  'test/commands/validate.test.ts',
  'test/documents/pdf-bomb.test.ts',
  'test/io/atomic-write.test.ts',
  'test/io/escape.test.ts',
  'test/keystore/formats.test.ts',
  'test/keystore/pbes2.test.ts',
  'test/keystore/pkcs11.test.ts',
  'test/letter/cover-letter.test.ts',
  'test/letter/glyphs.test.ts',
  'test/letter/letter-content.test.ts',
  'test/letter/tagging.test.ts',
  'test/letter/youth-copy.test.ts',
  'test/register/audit.test.ts',
  'test/register/crash.test.ts',
  'test/register/pending.test.ts',
  'test/register/repository.test.ts',
  'test/schema/gen-types.test.ts',
  'test/services/import/attacks.test.ts',
  'test/services/import/timestamps.test.ts',
  'test/services/keys.test.ts',
  'test/services/letter.test.ts',
  'test/services/new-timestamp.test.ts',
  'test/services/open.test.ts',
  'test/services/seal.test.ts',
  'test/signing/cms.test.ts',
  'test/signing/jws-openssl.test.ts',
  'test/signing/jws.test.ts',
  'test/signing/path.test.ts',
  'test/signing/pdf-tsa.test.ts',
  'test/signing/pdf.test.ts',
  'test/signing/tsa.test.ts',
];

export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    globalSetup: ['./test/helpers/pki-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: E2E,
          setupFiles: ['./test/helpers/no-subprocess.ts'],
        },
      },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
