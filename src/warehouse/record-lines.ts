// Where each record of a CSV file starts, as a line number a user sees in an editor. The warehouse's CSV
// reader numbers records, not lines: blank lines it skips and quoted cells spanning lines shift the two.

import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 22;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;

/**
 * Line (1-based) on which each data record starts, header excluded; null when every record is one line and
 * no line is blank — then record i is simply on line i + 2 and no map is needed.
 */
export function recordStartLines(file: string): Uint32Array | null {
  return isIrregular(file) ? scanLines(file) : null;
}

/** True when the file has a blank line or a line break inside quotes. */
function isIrregular(file: string): boolean {
  let irregular = false;
  forEachByte(file, (byte, state) => {
    if (state.atLineStart && byte === NEWLINE) irregular = true;
    if (state.quoted && byte === NEWLINE) irregular = true;
    return !irregular;
  });
  return irregular;
}

function scanLines(file: string): Uint32Array {
  let starts = new Uint32Array(1024);
  let records = 0;
  let recordOpen = false;
  let header = true;
  forEachByte(file, (byte, state) => {
    if (!recordOpen && byte !== NEWLINE && byte !== CARRIAGE_RETURN) {
      recordOpen = true;
      if (header) header = false;
      else {
        if (records === starts.length) {
          const grown = new Uint32Array(starts.length * 2);
          grown.set(starts);
          starts = grown;
        }
        starts[records++] = state.line;
      }
    }
    if (byte === NEWLINE && !state.quoted) recordOpen = false;
    return true;
  });
  return starts.slice(0, records);
}

interface ScanState {
  /** Line of the current byte, 1-based. */
  line: number;
  quoted: boolean;
  atLineStart: boolean;
}

/** Calls `visit` for every byte with the line and quote state before it; stops when `visit` returns false. */
function forEachByte(file: string, visit: (byte: number, state: ScanState) => boolean): void {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(CHUNK);
  const state: ScanState = { line: 1, quoted: false, atLineStart: true };
  try {
    for (;;) {
      const length = readSync(fd, buffer, 0, CHUNK, null);
      if (length === 0) return;
      for (let i = 0; i < length; i++) {
        const byte = buffer[i];
        if (!visit(byte, state)) return;
        // A doubled quote inside a quoted cell toggles twice: the state comes out right.
        if (byte === QUOTE) state.quoted = !state.quoted;
        if (byte === NEWLINE) {
          state.line++;
          state.atLineStart = true;
        } else if (byte !== CARRIAGE_RETURN) state.atLineStart = false;
      }
    }
  } finally {
    closeSync(fd);
  }
}
