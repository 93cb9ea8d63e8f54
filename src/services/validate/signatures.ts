/**
 * `validate --verify-signatures`: the embedded signature of each document, checked against the
 * trust store, as findings SIGNATURE_MISSING / SIGNATURE_INVALID / SIGNATURE_UNTRUSTED /
 * SIGNER_NOT_SENDER / SIGNATURE_REVOKED, and the warning REVOCATION_UNKNOWN.
 */
import { signatureFindings } from '../../documents/signature-findings.js';
import {
  type FileResult,
  readAndValidate,
  reportedFinding,
  type ValidateOptions,
} from '../../documents/validate.js';
import { verifyDocument } from '../../signing/jws.js';
import type { WorkerInit } from './index.js';

/** Validates one file in this thread, signatures included when asked (a worker's whole job). */
export async function validateOne(file: string, init: WorkerInit): Promise<FileResult> {
  const { result, doc } = readAndValidate(file, init.opts);
  if (init.verifySignatures && doc !== undefined) await checkSignature(doc, result, init.opts);
  return result;
}

export async function checkSignature(doc: unknown, result: FileResult, opts: ValidateOptions): Promise<void> {
  const found = signatureFindings(await verifyDocument(doc));
  if (found.length === 0) return;
  result.findings.push(...found.map((f) => reportedFinding(f, opts.lang)));
  // REVOCATION_UNKNOWN is a warning: it fails the file only under --strict.
  if (found.some((f) => f.severity === 'error' || opts.strict)) result.valid = false;
}
