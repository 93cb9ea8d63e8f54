/** The shapes of `import`: its options, its per-file and batch results, and one run's context. */
import type { ServiceOverrides } from '../../domain/catalogue.js';
import type { Lang } from '../../i18n/index.js';
import type { PinSource, SigningIdentity } from '../../keystore/types.js';
import type { HandoverStatus, Reason, Register } from '../../register/index.js';
import type { Party, Person } from '../../schema/types.js';
import type { ImportCommitter } from './commit.js';

export type ImportOutcome = 'accepted' | 'rejected' | 'awaiting-trust' | 'duplicate' | 'failed';
export type ImportKind = 'handover' | 'receipt' | 'withdrawal' | 'unknown';

export interface ImportFinding {
  rule: string;
  severity: 'error' | 'warning';
  pointer: string;
  message: string;
  /**
   * SIGNATURE_UNTRUSTED of an intact signature by a signer not in the trust store: whose
   * certificate, to compare with the partner before `trust add` (SPEC §3).
   */
  awaitsTrust?: { subject: string; fingerprint256: string };
}

export interface ImportFileResult {
  file: string;
  kind: ImportKind;
  /** accepted: taken in (for a receipt or withdrawal: applied); duplicate: seen before, nothing changed. */
  outcome: ImportOutcome;
  handoverId?: string;
  /** SHA-256 of the document as received (for a PDF: of the attached handover file). */
  sha256?: string;
  /** Status of the handover in the register after this file. */
  status?: HandoverStatus;
  findings: ImportFinding[];
  /** Receipt written (or, with --dry-run, that would be written). */
  receiptFile?: string;
  receiptId?: string;
  /** For a handover: who sent it and what (organisation metadata, never the youth's data). */
  from?: { organization: string; businessId: string; contact?: Person };
  type?: string;
  /**
   * Who signed, as verified rather than claimed: the organisation that the signer's
   * certificate names and the business ID the signature speaks for (certificate or binding).
   */
  signedBy?: { organization: string; businessId?: string; fingerprint256: string };
  /** For a receipt: the recipient's answer and their responsible worker. */
  answer?: { outcome: 'accepted' | 'rejected'; reasons: Reason[]; receiver: string; contact?: Person };
  /** A failure that stopped this file (I/O): code and exit. */
  error?: { code: string; message: string; exit: number };
}

export interface ImportResult {
  dryRun: boolean;
  files: ImportFileResult[];
  summary: {
    files: number;
    /** Handovers and withdrawals taken in, and receipts that accept a handover of ours. */
    accepted: number;
    rejected: number;
    /** Receipts by which a recipient rejects a handover of ours (applied, but no acceptance). */
    rejectedByRecipient: number;
    /** Handovers signed by a signer not yet trusted: no receipt until `trust add` (SPEC §3). */
    awaitingTrust: number;
    duplicate: number;
    failed: number;
  };
  /** SPEC §3: 0 when every file was accepted (or already imported), 1 when any was rejected, 5 on I/O failure. */
  exit: number;
}

export interface ImportOptions {
  files: string[];
  /** Size limit of each file and of a PDF attachment inflated, in bytes (--max-size). */
  maxBytes?: number;
  lang: Lang;
  dryRun?: boolean;
  /** Folder for receipts; default: config defaults.outputFolder, else the current folder. */
  out?: string;
  force?: boolean;
  /** The worker who will be responsible for the youth, named in the receipt. */
  responsible?: Person;
  keyAlias?: string;
  /** Asks for a token's PIN when HANDOVER_PKCS11_PIN is not set (a terminal prompt); none: exit 4. */
  pin?: PinSource;
  now?: () => Date;
  /** Called after each file, for progress output. */
  onFile?: (r: ImportFileResult) => void;
}

/** What every file shares in one run: opened once, so that a batch costs one setup. */
export interface Ctx {
  opts: ImportOptions;
  reg: Register;
  own: Party;
  outDir: string;
  now: () => Date;
  /** timestamp.url from the run's config (null: none configured). */
  tsaUrl: string | null;
  /** The trust store (anchors, bindings, CRLs), read once per run. */
  trust?: import('../../signing/trust.js').TrustContext;
  identity?: Promise<SigningIdentity>;
  decryption?: Promise<SigningIdentity>;
  /** Tails of the per-handover queues: files about one handover are applied in input order. */
  locks: Map<string, Promise<unknown>>;
  /** Shared register commits, folder fsyncs and audit appends of the files in flight. */
  committer: ImportCommitter;
  services: ServiceOverrides | undefined;
  /** Results whose audit entry went with their commit: not logged again. */
  audited: WeakSet<ImportFileResult>;
}
