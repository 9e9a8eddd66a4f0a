// The header row of a CSV file, read by us so the warehouse's CSV reader is told the columns instead of
// guessing the dialect — a guess that fails on one ragged row and then blames the wrong thing.

import { closeSync, openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import { InputError } from '../errors.js';

/** Enough bytes for any real header line. */
const HEADER_BYTES = 1 << 20;

/** Column names of the first row of a comma-separated UTF-8 file (BOM dropped). */
export function readCsvHeader(file: string): string[] {
  const buffer = Buffer.alloc(HEADER_BYTES);
  let length: number;
  try {
    const fd = openSync(file, 'r');
    try {
      length = readSync(fd, buffer, 0, HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new InputError('cannot read the file', { file }, { cause: error });
  }
  const text = buffer
    .subarray(0, length)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const header = Papa.parse<string[]>(text, { preview: 1, delimiter: ',' }).data[0] ?? [];
  if (header.length === 0 || header.every((name) => name.trim() === '')) {
    throw new InputError('the file is empty or has no header row', { file, row: 1 });
  }
  return header;
}
