/**
 * The one translation of a signature check into findings, for `validate --verify-signatures`,
 * `import` and `open`: none when valid and trusted (but REVOCATION_UNKNOWN as a warning);
 * SIGNATURE_MISSING at "" (the member that is missing belongs to the root), the others at
 * "/signature", with the verifier's reason and what a person needs to act on it.
 */
import type { RuleFinding } from '../domain/rules/types.js';
import type { VerifyResult } from '../signing/jws.js';

type Checked = Pick<
  VerifyResult,
  'status' | 'code' | 'reason' | 'signer' | 'signerBusinessId' | 'speaksFor' | 'warnings'
>;

function params(v: Checked): Record<string, string> {
  const reason = v.reason ?? '';
  if (v.code === 'SIGNER_NOT_SENDER')
    return v.signerBusinessId
      ? { reason, signer: v.signerBusinessId, speaksFor: v.speaksFor ?? '' }
      : { reason: 'unbound', speaksFor: v.speaksFor ?? '' };
  // An unknown signer is named with its fingerprint, so that the worker can compare it with
  // the partner by another channel before trusting it (no trust on first use).
  if (v.status === 'untrusted' && reason === 'not-trusted' && v.signer)
    return { reason: 'signer', signer: v.signer.subject, fingerprint: v.signer.fingerprint256 };
  return { reason };
}

export function signatureFindings(v: Checked): RuleFinding[] {
  if (v.status === 'valid')
    return (v.warnings ?? []).map((w) => ({ rule: w, severity: 'warning', pointer: '/signature' }));
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
      params: params(v),
    },
  ];
}
