/**
 * Output formats of `validate`, written as results arrive (nothing is buffered per file):
 * human (grouped by file, coloured on a terminal unless NO_COLOR), json (SPEC §5.5), junit
 * and sarif. The json document lists `files` first and `summary` last, since the summary is
 * known only when the last file is done; the members are those of SPEC §5.5.
 */

import { RULES } from '../domain/rules/index.js';
import { type Lang, t } from '../i18n/index.js';
import type { FileResult, Summary } from './validate.js';

export const FORMATS = ['human', 'json', 'junit', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface Reporter {
  start(): void;
  file(r: FileResult): void;
  end(s: Summary): void;
}

type Write = (s: string) => void;

/**
 * Collects output into chunks of about 64 KiB before writing: one write per file would be
 * 100,000 system calls for a large batch. `flush()` writes what is left.
 */
export function bufferedWriter(write: Write, limit = 64 * 1024): Write & { flush: () => void } {
  let buf = '';
  const w = ((s: string) => {
    buf += s;
    if (buf.length >= limit) {
      write(buf);
      buf = '';
    }
  }) as Write & { flush: () => void };
  w.flush = () => {
    if (buf) write(buf);
    buf = '';
  };
  return w;
}

const xml = (s: string): string =>
  s
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // Characters XML 1.0 cannot carry at all.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the ones to replace
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');

export function makeReporter(format: Format, write: Write, lang: Lang, color: boolean): Reporter {
  switch (format) {
    case 'json':
      return jsonReporter(write);
    case 'junit':
      return junitReporter(write, lang);
    case 'sarif':
      return sarifReporter(write);
    default:
      return humanReporter(write, lang, color);
  }
}

function humanReporter(write: Write, lang: Lang, color: boolean): Reporter {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return {
    start() {},
    file(r) {
      // Like a linter, list the files that have something to say; the summary counts the rest.
      if (r.findings.length === 0) return;
      const status = r.valid
        ? paint(32, t('validate.fileValid', lang))
        : paint(31, t('validate.fileInvalid', lang));
      write(`${r.file}: ${status}\n`);
      for (const f of r.findings) {
        const pos = f.line !== null ? `${r.file}:${f.line}:${f.column}` : r.file;
        const sev =
          f.severity === 'error'
            ? paint(31, t('validate.error', lang))
            : paint(33, t('validate.warning', lang));
        write(`  ${pos} ${sev} ${paint(1, f.rule)} ${f.pointer || '/'}  ${f.message}\n`);
      }
    },
    end(s) {
      write(`${t('validate.summary', lang, { ...s, byRule: '' })}\n`);
    },
  };
}

function jsonReporter(write: Write): Reporter {
  let first = true;
  return {
    start() {
      write('{"files":[');
    },
    file(r) {
      write(
        `${first ? '' : ','}\n${JSON.stringify({ file: r.file, kind: r.kind, valid: r.valid, findings: r.findings })}`,
      );
      first = false;
    },
    end(s) {
      write(`\n],\n"summary":${JSON.stringify(s)}}\n`);
    },
  };
}

function junitReporter(write: Write, lang: Lang): Reporter {
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

function sarifReporter(write: Write): Reporter {
  let first = true;
  const rules = Object.entries(RULES).map(([id, r]) => ({
    id,
    defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' },
  }));
  return {
    start() {
      const head = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
      };
      const driver = { name: 'handover', rules };
      write(
        `${JSON.stringify(head).slice(0, -1)},"runs":[{"tool":{"driver":${JSON.stringify(driver)}},"results":[`,
      );
    },
    file(r) {
      for (const f of r.findings) {
        const region = f.line !== null ? { startLine: f.line, startColumn: f.column } : undefined;
        const result = {
          ruleId: f.rule,
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: r.file.split('\\').join('/') },
                ...(region ? { region } : {}),
              },
              logicalLocations: [{ fullyQualifiedName: f.pointer || '/', kind: 'member' }],
            },
          ],
        };
        write(`${first ? '' : ','}\n${JSON.stringify(result)}`);
        first = false;
      }
    },
    end() {
      write('\n]}]}\n');
    },
  };
}
