/**
 * Run commands the two ways the standards ask for: in-process (the command class from the
 * TypeScript sources, through oclif's real parser) and as a subprocess of bin/run.js (the
 * built product; `npm test` builds first).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Errors } from '@oclif/core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'run.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The command's return value (in-process only). */
  result?: unknown;
}

type CommandClass = { run(argv: string[], opts: string): Promise<unknown> };

/** In-process: stdout and stderr captured, exit code taken from oclif's exit error. */
export async function runCommand(
  Cmd: CommandClass,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  let exitCode = 0;
  let result: unknown;
  try {
    result = await Cmd.run(argv, ROOT);
  } catch (e) {
    const err = e as Error & { oclif?: { exit?: number } };
    if (err instanceof Errors.ExitError || err.oclif?.exit !== undefined) exitCode = err.oclif?.exit ?? 1;
    else {
      process.stdout.write = ow;
      process.stderr.write = ew;
      throw e;
    }
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { stdout, stderr, exitCode, result };
}

/** Subprocess of the built CLI. `input` is written to stdin (stdin is a pipe: not a TTY). */
export function runBin(
  args: string[],
  opts: {
    env?: Record<string, string | undefined>;
    input?: string | Uint8Array;
    cwd?: string;
    timeoutMs?: number;
  } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ stdout, stderr, exitCode: code ?? (signal ? 128 : 1) });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A fresh private temporary folder (real files, no mocks). */
export const tempDir = (prefix = 'handover-test-'): string => mkdtempSync(join(tmpdir(), prefix));
