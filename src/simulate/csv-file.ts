// A CSV file written row by row through a 1 MiB byte buffer (UTF-8, `\n` line ends, header on line 1),
// counting lines as an editor does so bad rows can be located. Rows are joined by the caller: the simulator's
// fields never need quotes. (Encoding each row into one reused buffer keeps the garbage collector idle.)

import { closeSync, openSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 1 << 20;

export class CsvFile {
  /** Lines written so far (the header is line 1). */
  lines = 1;
  /** Data rows written so far. */
  rows = 0;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private readonly fd: number;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.fd = openSync(path, 'w');
    this.append(header.join(','));
  }

  /** Appends one row (fields already joined by commas); returns its line number. */
  write(row: string): number {
    this.append(row);
    this.rows++;
    return ++this.lines;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  /** Encodes `text` and a line end into the buffer (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  private append(text: string): void {
    if (this.used + 3 * text.length + 1 > BUFFER_BYTES) {
      this.flush();
      if (3 * text.length + 1 > BUFFER_BYTES) {
        writeSync(this.fd, `${text}\n`);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
    this.buffer[this.used++] = 10;
  }

  private flush(): void {
    for (let done = 0; done < this.used; ) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
  }
}
