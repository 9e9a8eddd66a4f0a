// Progress bars on a terminal: one line redrawn in place on stderr, nothing at all when not a TTY or --json.

/** A progress line that can be updated and finished. */
export interface Progress {
  update(label: string, done: number, total: number, detail?: string): void;
  done(message?: string): void;
}

const WIDTH = 28;
const silent: Progress = { update() {}, done() {} };

/** A progress line on stderr when it is a terminal and `quiet` is false; otherwise a no-op. */
export function createProgress(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (quiet || !stream.isTTY) return silent;
  let last = 0;
  let shown = false;
  return {
    update(label, done, total, detail = '') {
      const now = Date.now();
      // Redraw at most 20 times a second; a terminal write per tree would cost more than the tree.
      if (done < total && now - last < 50) return;
      last = now;
      const share = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(share * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      stream.write(`\r\x1b[2K${label.padEnd(20)} ${bar} ${done}/${total} ${detail}`);
      shown = true;
    },
    done(message) {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
      if (message) stream.write(`${message}\n`);
    },
  };
}
