/**
 * A real terminal for the tests of prompts: tmux runs the built CLI in a pane of its own server
 * (one socket per test file), and the test reads the screen and types keys as a worker would.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, tempDir } from './cli.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let started = 0;

export class Terminal {
  private socket: string;
  private exitFile = '';

  constructor(private readonly name: string) {
    this.socket = `handover-${name}-${process.pid}`;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Starts `handover <args>` in `cwd` with exactly these extra variables (CI unset). */
  start(args: string[], env: Record<string, string>, cwd: string, unset: string[] = []): void {
    // A server of its own for every start: one killed after the last test may still be going
    // away, and a new session on its socket then fails with "server exited unexpectedly".
    started += 1;
    this.socket = `handover-${this.name}-${process.pid}-${started}`;
    this.exitFile = join(tempDir(), 'exit');
    const vars = Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ');
    const drop = ['CI', ...unset].map((v) => `-u ${v}`).join(' ');
    const cmd = `cd '${cwd}' && env ${drop} ${vars} '${process.execPath}' '${BIN}' ${args.map((a) => `'${a}'`).join(' ')}; echo $? > '${this.exitFile}'; sleep 60`;
    this.tmux('new-session', '-d', '-s', 'w', '-x', '200', '-y', '60', cmd);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'w');
  }

  async waitFor(text: string | RegExp, timeout = 20_000): Promise<void> {
    const until = Date.now() + timeout;
    const seen = () => (typeof text === 'string' ? this.screen().includes(text) : text.test(this.screen()));
    while (!seen()) {
      if (Date.now() > until) throw new Error(`waited for ${text}, screen:\n${this.screen()}`);
      await sleep(50);
    }
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'w', '-l', text);
  }

  key(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'w', ...keys);
  }

  /** The command's exit code, once it has one. */
  async exit(timeout = 30_000): Promise<string> {
    const until = Date.now() + timeout;
    const done = () => existsSync(this.exitFile) && readFileSync(this.exitFile, 'utf8').trim() !== '';
    while (!done()) {
      if (Date.now() > until) throw new Error(`no exit code, screen:\n${this.screen()}`);
      await sleep(50);
    }
    return readFileSync(this.exitFile, 'utf8').trim();
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {}
  }
}
