/**
 * Typed errors with stable codes. A command never prints a stack for one of these: the base
 * command renders the localised message and exits with `exit`, as SPEC §3 defines.
 */
export const EXIT = {
  ok: 0,
  invalid: 1,
  usage: 2,
  consentClosed: 3,
  environment: 4,
  io: 5,
  /** Ctrl-C or a cancelled interview: nothing written (the shell's convention for SIGINT). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface ErrorDetail {
  rule?: string;
  severity?: string;
  pointer?: string;
  line?: number | null;
  column?: number | null;
  message?: string;
}

export class HandoverError extends Error {
  /** Stable code, e.g. OUTPUT_EXISTS, KEYCHAIN_UNAVAILABLE, SCHEMA. */
  readonly code: string;
  readonly exit: ExitCode;
  /** i18n key of the message in templates/messages/<lang>/errors.json (or another namespace). */
  readonly key: string;
  readonly vars: Record<string, string | number>;
  readonly details: ErrorDetail[];

  constructor(
    code: string,
    exit: ExitCode,
    opts: {
      key?: string;
      vars?: Record<string, string | number>;
      details?: ErrorDetail[];
      cause?: unknown;
    } = {},
  ) {
    super(code, { cause: opts.cause });
    this.name = 'HandoverError';
    this.code = code;
    this.exit = exit;
    this.key = opts.key ?? `errors.${code}`;
    this.vars = opts.vars ?? {};
    this.details = opts.details ?? [];
  }
}

export const isHandoverError = (e: unknown): e is HandoverError => e instanceof HandoverError;
