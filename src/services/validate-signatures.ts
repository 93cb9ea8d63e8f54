/**
 * `validate --verify-signatures`: the embedded signature of each document, checked against the
 * trust store, as findings SIGNATURE_MISSING / SIGNATURE_INVALID / SIGNATURE_UNTRUSTED.
 */
import { ruleMessage } from '../domain/rules/messages.js';
import type { FileResult, ValidateOptions } from './validate-core.js';

export async function checkSignature(doc: unknown, result: FileResult, opts: ValidateOptions): Promise<void> {
  const { verifyDocument } = await import('../signing/jws.js');
  const v = await verifyDocument(doc);
  if (v.status === 'valid') return;
  const rule =
    v.code ??
    (v.status === 'missing'
      ? 'SIGNATURE_MISSING'
      : v.status === 'untrusted'
        ? 'SIGNATURE_UNTRUSTED'
        : 'SIGNATURE_INVALID');
  const pointer = v.status === 'missing' ? '' : '/signature';
  const finding = { rule, severity: 'error' as const, pointer, params: { reason: v.reason ?? '' } };
  result.findings.push({ ...finding, line: null, column: null, message: ruleMessage(finding, opts.lang) });
  result.valid = false;
}
