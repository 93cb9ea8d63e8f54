import { createRequire } from 'node:module';

/** A progress bar on stderr, only when stderr is a terminal (never in pipes, CI or logs). */
export interface Progress {
  update: (done: number, seen: number) => void;
  /** Clears the bar's line before other output reaches the same terminal; it redraws on the next update. */
  clear: () => void;
  stop: () => void;
}

export function startProgress(label: string): Progress | undefined {
  if (!process.stderr.isTTY || process.env.CI) return undefined;
  let bar: import('cli-progress').SingleBar | undefined;
  let last = 0;
  return {
    update(done, seen) {
      // Small batches finish before a bar would help; show it from the 500th file on.
      if (!bar && done < 500) return;
      const now = Date.now();
      if (bar && now - last < 100 && done !== seen) return;
      last = now;
      if (!bar) {
        // cli-progress is CommonJS and only needed on a terminal; the import is synchronous here.
        const cp = requireCliProgress();
        bar = new cp.SingleBar(
          {
            stream: process.stderr,
            format: `${label} {bar} {value}/{total}`,
            hideCursor: true,
            clearOnComplete: true,
          },
          cp.Presets.shades_classic,
        );
        bar.start(seen, done);
      }
      bar.setTotal(seen);
      bar.update(done);
    },
    clear() {
      if (bar) process.stderr.write('\r\u001b[2K');
    },
    stop() {
      bar?.stop();
    },
  };
}

const requireCliProgress = (): typeof import('cli-progress') =>
  createRequire(import.meta.url)('cli-progress');
