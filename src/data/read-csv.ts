// Reads a delimited text file (CSV, semicolon or tab separated) into a Table, block by block: the whole text
// never exists at once. Bad files fail with an InputError that names the file, the line and, where it helps, the column.

import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { decodeText, type RequestedEncoding, type TextEncodingName } from './decode.js';
import type { Table } from './table.js';
import { TableBuilder } from './table-builder.js';

export { detectDelimiter } from './table-builder.js';

/** Options of `readCsv`. */
export interface ReadCsvOptions {
  encoding?: RequestedEncoding;
  /** Field separator; detected from the header line (`,` `;` or tab) when absent. */
  delimiter?: ',' | ';' | '\t';
  /** Bytes read and decoded at a time (default `CHUNK_BYTES`); tests set small ones to cut the file anywhere. */
  chunkBytes?: number;
}

/** Bytes read at a time: large enough that the per-block costs vanish, small next to the table. */
export const CHUNK_BYTES = 4 * 2 ** 20;

/** One way to decode the file: a TextDecoder label, and the bytes (a byte-order mark) to skip first. */
interface DecodePlan {
  encoding: TextEncodingName;
  skip: number;
}

/** Reads and parses a delimited text file; empty and whitespace-only cells become missing. */
export function readCsv(path: string, options: ReadCsvOptions = {}): Table {
  const requested = options.encoding ?? 'auto';
  const fd = openFile(path);
  try {
    const { size, head } = readHead(fd, path);
    if (head.length === 0) throw new InputError('file is empty', { file: path });
    for (const plan of decodePlans(head, requested)) {
      const table = readPass(fd, path, size, plan, options);
      if (table === undefined) continue; // not this encoding: read the whole file again with the next
      if (table.encoding === 'gb18030')
        table.warnings.push('the file is not valid UTF-8; it was read as GB18030 (GBK)');
      if (table.encoding.startsWith('utf-16'))
        table.warnings.push(`the file was read as ${table.encoding.toUpperCase()}`);
      return table;
    }
  } finally {
    closeSync(fd);
  }
  throw decodingError(path, requested);
}

/** The encodings to try, in order, as `decodeText` would decide them from the first bytes. */
function decodePlans(head: Uint8Array, requested: RequestedEncoding): DecodePlan[] {
  if (head[0] === 0xff && head[1] === 0xfe) return [{ encoding: 'utf-16le', skip: 2 }];
  if (head[0] === 0xfe && head[1] === 0xff) return [{ encoding: 'utf-16be', skip: 2 }];
  if (requested === 'gb18030') return [{ encoding: 'gb18030', skip: 0 }];
  const hadBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  // A UTF-8 BOM followed by non-UTF-8 bytes is a broken UTF-8 file, not GB18030.
  if (hadBom) return [{ encoding: 'utf-8', skip: 3 }];
  if (requested === 'utf-8') return [{ encoding: 'utf-8', skip: 0 }];
  return [
    { encoding: 'utf-8', skip: 0 },
    { encoding: 'gb18030', skip: 0 },
  ];
}

/**
 * Decodes the file with one plan, feeding the text to a TableBuilder; undefined when the bytes are not in that
 * encoding. A parse error is kept until the whole file has decoded, so that, as when the file was decoded
 * before parsing, a wrong encoding is found (and the next one tried) before any complaint about the rows.
 */
function readPass(
  fd: number,
  path: string,
  size: number,
  plan: DecodePlan,
  options: ReadCsvOptions,
): Table | undefined {
  const chunkBytes = Math.max(1, Math.floor(options.chunkBytes ?? CHUNK_BYTES));
  const decoder = new TextDecoder(plan.encoding, { fatal: true, ignoreBOM: true });
  const builder = new TableBuilder({
    file: path,
    encoding: plan.encoding,
    delimiter: options.delimiter,
    bytes: size,
  });
  const buffer = new Uint8Array(Math.min(chunkBytes, Math.max(size, 1)));
  let position = plan.skip;
  let parseError: unknown;
  for (;;) {
    const n = readBlock(fd, path, buffer, position);
    position += n;
    let text: string;
    try {
      text = n === 0 ? decoder.decode() : decoder.decode(buffer.subarray(0, n), { stream: true });
    } catch {
      return undefined;
    }
    if (parseError === undefined) {
      try {
        builder.push(text, position);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        parseError = error;
      }
    }
    if (n === 0) break;
  }
  if (parseError !== undefined) throw parseError;
  return builder.end();
}

/** The error for a file no plan could decode: `decodeText` on the whole file names the first bad byte. */
function decodingError(path: string, requested: RequestedEncoding): InputError {
  try {
    decodeText(readFileSync(path), path, requested);
  } catch (error) {
    if (error instanceof InputError) return error;
    return new InputError('is not valid text in any supported encoding', { file: path }, { cause: error });
  }
  return new InputError('is not valid text in any supported encoding', { file: path });
}

function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw readError(path, error);
  }
}

/** The file's size (0 if unknown) and its first bytes (up to 3, for a byte-order mark). */
function readHead(fd: number, path: string): { size: number; head: Uint8Array } {
  let size = 0;
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    size = stat.size;
  } catch (error) {
    throw readError(path, error);
  }
  const head = new Uint8Array(3);
  let n = 0;
  while (n < head.length) {
    const got = readBlock(fd, path, head.subarray(n), n);
    if (got === 0) break;
    n += got;
  }
  return { size, head: head.subarray(0, n) };
}

function readBlock(fd: number, path: string, into: Uint8Array, position: number): number {
  try {
    return readSync(fd, into, 0, into.length, position);
  } catch (error) {
    throw readError(path, error);
  }
}

function readError(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOENT'
      ? 'file not found'
      : code === 'EISDIR'
        ? 'is a directory, not a CSV file'
        : code === 'EACCES'
          ? 'cannot be read: permission denied'
          : `cannot be read (${code ?? String(error)})`;
  return new InputError(message, { file: path }, { cause: error });
}
