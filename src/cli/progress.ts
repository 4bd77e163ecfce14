/**
 * Progress on stderr, never stdout: a live bar on a terminal, and in a log one plain line per
 * tenth of the work ("pairs 4950/4950"), so logs stay short and greppable.
 */
import type { Io } from './io';

export interface Progress {
  update(done: number): void;
  /** The last update; on a terminal, ends the bar's line. */
  finish(): void;
}

const quietProgress: Progress = { update: () => {}, finish: () => {} };

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Progress of `total` steps called `label` ("texts encoded", "pairs"). */
export function progress(io: Io, label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || total <= 0) return quietProgress;
  const started = Date.now();
  const tty = io.progress.isTTY;
  let lastTenth = -1;
  let lastDraw = 0;
  let last = 0;
  const eta = (done: number) => {
    const elapsed = (Date.now() - started) / 1000;
    return done > 0 && done < total && elapsed > 1 ? `, about ${duration((elapsed / done) * (total - done))} left` : '';
  };
  const draw = (done: number, final: boolean) => {
    if (tty) {
      const now = Date.now();
      if (!final && now - lastDraw < 100) return;
      lastDraw = now;
      const width = Math.max(10, Math.min(30, (io.progress.columns ?? 80) - label.length - 40));
      const filled = Math.round((width * done) / total);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      io.progress.write(`\r\x1b[K${label} ${bar} ${done}/${total} ${Math.floor((100 * done) / total)}%${eta(done)}${final ? '\n' : ''}`);
    } else {
      const tenth = Math.floor((10 * done) / total);
      if (tenth === lastTenth && !(final && done !== last)) return;
      lastTenth = tenth;
      io.progress.write(`${label} ${done}/${total}${eta(done)}\n`);
    }
    last = done;
  };
  let current = 0;
  let finished = false;
  return {
    update(done) {
      current = done;
      if (!finished) draw(done, false);
    },
    finish() {
      if (finished) return;
      finished = true;
      if (tty || current !== last) draw(current, true);
    },
  };
}
