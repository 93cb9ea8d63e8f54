/** What `import` says to a person: one paragraph per file and a summary, in the chosen language. */
import { type Lang, t, tn } from '../../i18n/index.js';
import { escapeControl } from '../../io/escape.js';
import type { Person } from '../../schema/types.js';
import { typeName } from '../register.js';
import type { ImportFileResult, ImportResult } from './types.js';

/** Human lines for one file result (stdout), in the chosen language. */
export function renderFile(r: ImportFileResult, lang: Lang): string {
  const lines: string[] = [];
  const id = r.handoverId ?? '-';
  const file = r.file;
  if (r.outcome === 'failed')
    lines.push(t('import.line_failed', lang, { file, message: r.error?.message ?? '' }));
  else if (r.outcome === 'duplicate')
    lines.push(
      t('import.line_duplicate', lang, { file, id, status: t(`register.status_${r.status}`, lang) }),
    );
  else if (r.kind === 'receipt' && r.outcome === 'accepted' && r.answer) {
    lines.push(
      t(
        r.answer.outcome === 'accepted' ? 'import.line_receipt_accepted' : 'import.line_receipt_rejected',
        lang,
        {
          file,
          id,
          receiver: r.answer.receiver,
          rules: r.answer.reasons.map((x) => x.rule).join(', '),
        },
      ),
    );
    if (r.answer.contact) lines.push(t('import.line_responsible', lang, personVars(r.answer.contact)));
  } else if (r.kind === 'withdrawal' && r.outcome === 'accepted') {
    lines.push(t('import.line_withdrawn', lang, { file, id, sender: r.from?.organization ?? '' }));
  } else if (r.outcome === 'accepted') {
    // The claimed name beside what was verified: the business ID the signature speaks for and
    // the organisation its certificate names (a partner may claim another's display name).
    lines.push(
      t('import.line_accepted', lang, {
        file,
        id,
        sender: r.from?.organization ?? '',
        businessId: r.signedBy?.businessId ?? r.from?.businessId ?? '',
        certificate: r.signedBy?.organization ?? '',
        type: r.type ? typeName(r.type, lang) : '',
      }),
    );
    if (r.from?.contact) lines.push(t('import.line_contact', lang, personVars(r.from.contact)));
  } else if (r.outcome === 'awaiting-trust') {
    lines.push(t('import.line_awaiting_trust', lang, { file, id, sender: r.from?.organization ?? '' }));
  } else {
    lines.push(t('import.line_rejected', lang, { file, id }));
  }
  for (const f of r.findings)
    lines.push(`  ${f.severity === 'warning' ? '!' : '✗'} ${f.rule} ${f.pointer || '/'} ${f.message}`);
  const signer = r.findings.find((f) => f.awaitsTrust)?.awaitsTrust;
  if (r.outcome === 'awaiting-trust' && signer)
    lines.push(
      t('import.awaiting_trust_how', lang, {
        signer: signer.subject,
        fingerprint: signer.fingerprint256,
        file,
      }),
    );
  if (r.receiptFile && r.outcome !== 'failed')
    lines.push(t('import.line_receipt', lang, { receipt: r.receiptFile }));
  // No receipt for a document that is none of ours: say what the person can do instead (SPEC §8).
  if (r.findings.some((f) => f.rule === 'DOCUMENT_UNKNOWN')) lines.push(t('import.line_not_ours', lang));
  else if (r.findings.some((f) => f.rule === 'NOT_ADDRESSED_TO_US'))
    lines.push(t('import.line_not_addressed', lang));
  // Organisation names, contacts and messages come from the file: data, never terminal control.
  return `${lines.map((l) => escapeControl(l)).join('\n')}\n`;
}

const personVars = (p: Person): Record<string, string> => ({
  name: p.name,
  reach: [p.email, p.phone].filter(Boolean).join(', '),
});

/** "3 files: 1 accepted, 1 awaiting trust, …": only the counts that are not zero, each pluralised. */
export function renderSummary(r: ImportResult, lang: Lang): string {
  const parts = (
    [
      ['accepted', r.summary.accepted],
      ['rejected', r.summary.rejected],
      ['rejectedByRecipient', r.summary.rejectedByRecipient],
      ['awaitingTrust', r.summary.awaitingTrust],
      ['duplicate', r.summary.duplicate],
      ['failed', r.summary.failed],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([k, n]) => tn(`import.summary_${k}`, lang, n));
  const s = t('import.summary', lang, {
    files: tn('import.summary_files', lang, r.summary.files),
    parts: parts.join(', '),
  });
  return `${r.dryRun ? `${t('import.dry_run', lang)}\n` : ''}${s}\n`;
}
