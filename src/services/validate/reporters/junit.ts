/** JUnit XML for CI dashboards: a test suite per file, a test case per finding. */
import { type Lang, t } from '../../../i18n/index.js';
import { escapeControl } from '../../../io/escape.js';
import type { Reporter, Write } from './index.js';

// Control and invisible format characters made visible first (io/escape), then XML's own.
const xml = (s: string): string =>
  escapeControl(s, { inline: true })
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // Characters XML 1.0 cannot carry at all (none are left but the two non-characters).
    .replace(/[\ufffe\uffff]/g, '\ufffd');

export function junitReporter(write: Write, lang: Lang): Reporter {
  return {
    start() {
      write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="handover validate">\n');
    },
    file(r) {
      const errors = r.findings.filter((f) => f.severity === 'error');
      const cases = r.findings.length || 1;
      write(
        `  <testsuite name="${xml(r.file)}" tests="${cases}" failures="${r.valid ? 0 : Math.max(errors.length, 1)}">\n`,
      );
      if (r.findings.length === 0)
        write(`    <testcase classname="${xml(r.file)}" name="${xml(t('validate.fileValid', lang))}"/>\n`);
      for (const f of r.findings) {
        const name = xml(`${f.rule} ${f.pointer || '/'}`);
        const failing = f.severity === 'error' || !r.valid;
        write(`    <testcase classname="${xml(r.file)}" name="${name}">`);
        if (failing)
          write(
            `<failure type="${f.rule}" message="${xml(f.message)}">${xml(`${r.file}:${f.line ?? 0}:${f.column ?? 0} ${f.message}`)}</failure>`,
          );
        else write(`<system-out>${xml(`${t('validate.warning', lang)}: ${f.message}`)}</system-out>`);
        write('</testcase>\n');
      }
      write('  </testsuite>\n');
    },
    end() {
      write('</testsuites>\n');
    },
  };
}
