/**
 * The one translation of a signature check into findings, for `validate --verify-signatures`,
 * `import` and `open`: none when valid and trusted; SIGNATURE_MISSING at "" (the member that
 * is missing belongs to the root), the others at "/signature", with the verifier's reason.
 */
import type { RuleFinding } from '../domain/rules/types.js';
import type { VerifyResult } from '../signing/jws.js';

export function signatureFindings(v: Pick<VerifyResult, 'status' | 'code' | 'reason'>): RuleFinding[] {
  if (v.status === 'valid') return [];
  const rule =
    v.code ??
    (v.status === 'missing'
      ? 'SIGNATURE_MISSING'
      : v.status === 'untrusted'
        ? 'SIGNATURE_UNTRUSTED'
        : 'SIGNATURE_INVALID');
  return [
    {
      rule,
      severity: 'error',
      pointer: v.status === 'missing' ? '' : '/signature',
      params: { reason: v.reason ?? '' },
    },
  ];
}
