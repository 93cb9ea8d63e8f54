/** The default format: grouped by file, coloured on a terminal unless NO_COLOR. */
import { type Lang, t } from '../../../i18n/index.js';
import { escapeControl } from '../../../io/escape.js';
import type { Reporter, Write } from './index.js';

export function humanReporter(write: Write, lang: Lang, color: boolean): Reporter {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return {
    start() {},
    file(r) {
      // Like a linter, list the files that have something to say; the summary counts the rest.
      if (r.findings.length === 0) return;
      const status = r.valid
        ? paint(32, t('validate.fileValid', lang))
        : paint(31, t('validate.fileInvalid', lang));
      const file = escapeControl(r.file, { inline: true });
      write(`${file}: ${status}\n`);
      for (const f of r.findings) {
        const pos = f.line !== null ? `${file}:${f.line}:${f.column}` : file;
        const sev =
          f.severity === 'error'
            ? paint(31, t('validate.error', lang))
            : paint(33, t('validate.warning', lang));
        // The pointer and message may quote the file: escaped before any colour is added.
        const where = escapeControl(f.pointer || '/', { inline: true });
        write(
          `  ${pos} ${sev} ${paint(1, f.rule)} ${where}  ${escapeControl(f.message, { inline: true })}\n`,
        );
      }
    },
    end(s) {
      write(`${t('validate.summary', lang, { ...s, byRule: '' })}\n`);
    },
  };
}
