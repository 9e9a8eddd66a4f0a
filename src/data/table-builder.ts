// Turns a file's decoded text, fed in chunks, into a Table: papaparse row by row, header checks, line numbers.
// Parsing waits for the first MiB so that the separator and line ends are guessed as on the whole text.

import Papa from 'papaparse';
import { InputError } from '../errors.js';
import { ColumnBuilder } from './column-builder.js';
import type { TextEncodingName } from './decode.js';
import type { Table } from './table.js';

/** Papaparse guesses line ends from the first MiB of its input; parsing starts once that much is in. */
const GUESS_CHARS = 2 ** 20;
const INITIAL_ROWS = 1024;
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const NON_WHITESPACE = /\S/;

/** What the table builder is told about the file. */
export interface TableSource {
  file: string;
  encoding: TextEncodingName;
  /** The separator, or undefined to detect it from the header line. */
  delimiter: ',' | ';' | '\t' | undefined;
  /** File size in bytes, to size the columns once the first rows show how long a row is; 0 if unknown. */
  bytes: number;
}

/** Accumulates chunks of text (`push`) into a Table (`end`); throws InputError for a bad file. */
export class TableBuilder {
  private prefix = '';
  private parser: Papa.Parser | undefined;
  private pending = '';
  private newline: '\n' | '\r' = '\n';
  private canSpanLines = false;
  private delimiter = ',';

  private header: string[] | undefined;
  private builders: ColumnBuilder[] = [];
  private nRows = 0;
  private capacity = INITIAL_ROWS;
  private lines = new Uint32Array(INITIAL_ROWS);
  private nextLine = 1; // line on which the next record starts

  // Progress, to estimate the row count: characters done before the current parse call, decoded, bytes read.
  private charsBefore = 0;
  private charsDecoded = 0;
  private bytesRead = 0;

  constructor(private readonly source: TableSource) {}

  /** Adds the next chunk of text; `bytesRead` is how far into the file the decoder has read. */
  push(text: string, bytesRead: number): void {
    this.charsDecoded += text.length;
    this.bytesRead = bytesRead;
    if (this.parser !== undefined) {
      this.parse(text, false);
      return;
    }
    this.prefix += text;
    if (this.prefix.length >= GUESS_CHARS && this.canStart()) this.start();
  }

  /** Parses what is left and returns the table. */
  end(): Table {
    const { file } = this.source;
    if (this.parser === undefined) {
      if (!NON_WHITESPACE.test(this.prefix))
        throw new InputError('file is empty (no header, no rows)', { file });
      this.start();
    }
    this.parse('', true);
    if (this.header === undefined) throw new InputError('file is empty (no header, no rows)', { file });
    if (this.nRows === 0) throw new InputError('has a header but no data rows', { file });
    const rowLines = this.lines.length === this.nRows ? this.lines : this.lines.slice(0, this.nRows);
    return {
      file,
      encoding: this.source.encoding,
      delimiter: this.delimiter,
      header: this.header,
      columns: this.builders.map((b) => b.finish(this.nRows, rowLines)),
      nRows: this.nRows,
      rowLines,
      warnings: [],
    };
  }

  /** True once the prefix decides what the whole text would: it is not blank and its header line is complete. */
  private canStart(): boolean {
    if (!NON_WHITESPACE.test(this.prefix)) return false;
    return this.source.delimiter !== undefined || scanDelimiter(this.prefix).decided;
  }

  private start(): void {
    const text = this.prefix;
    this.prefix = '';
    this.delimiter = this.source.delimiter ?? detectDelimiter(text);
    // Papaparse's own line-end guess, on the same first MiB it would look at in the whole text.
    const guess = Papa.parse<string[]>(text.slice(0, GUESS_CHARS), {
      delimiter: this.delimiter,
      preview: 1,
    });
    const linebreak = guess.meta.linebreak;
    this.newline = linebreak === '\r' ? '\r' : '\n';
    this.parser = new Papa.Parser({
      delimiter: this.delimiter,
      newline: linebreak as '\n' | '\r' | '\r\n',
      quoteChar: '"',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      // One row at a time, so that the file never exists as millions of small arrays at once.
      step: (results: { data: unknown; errors: Papa.ParseError[] }) => {
        if (results.errors.some((e) => e.type === 'Quotes')) {
          throw new InputError(`a quoted value starting on line ${this.nextLine} is not closed properly`, {
            file: this.source.file,
            row: this.nextLine,
          });
        }
        this.takeRecord((results.data as string[][])[0]);
      },
    });
    this.parse(text, false);
  }

  /** Parses the pending text and `text`; keeps an incomplete last row pending unless `last`. */
  private parse(text: string, last: boolean): void {
    const parser = this.parser as Papa.Parser;
    const input = this.pending + text;
    this.canSpanLines = input.includes('"');
    const result = parser.parse(input, 0, !last) as { meta: { cursor: number } };
    const cursor = last ? input.length : result.meta.cursor;
    this.pending = input.slice(cursor);
    this.charsBefore += cursor;
  }

  private takeRecord(fields: string[]): void {
    const line = this.nextLine;
    this.nextLine += 1;
    if (this.canSpanLines)
      for (const f of fields) if (f.length > 0) this.nextLine += countOf(f, this.newline);
    if (fields.length === 1 && fields[0] === '') return; // blank line, skipped like pandas does
    const { file } = this.source;
    if (this.header === undefined) {
      this.header = checkHeader(fields, file);
      this.builders = this.header.map((name) => new ColumnBuilder(name, this.capacity));
      return;
    }
    if (fields.length !== this.header.length) {
      throw new InputError(
        `line ${line} has ${fields.length} field${fields.length === 1 ? '' : 's'} but the header has ` +
          `${this.header.length}${fields.length > this.header.length ? ' (an unquoted delimiter inside a value?)' : ''}`,
        { file, row: line },
      );
    }
    const row = this.nRows;
    if (row >= this.capacity) this.grow();
    this.lines[row] = line;
    const builders = this.builders;
    for (let j = 0; j < fields.length; j++) builders[j].push(row, fields[j]);
    this.nRows = row + 1;
  }

  /** Makes room for more rows: as many as the file seems to hold, judging by the rows so far. */
  private grow(): void {
    const charsDone = this.charsBefore + (this.parser?.getCharIndex() ?? 0);
    let estimate = 0;
    if (this.source.bytes > 0 && this.bytesRead > 0 && charsDone > 0) {
      const totalChars = (this.source.bytes * this.charsDecoded) / this.bytesRead;
      estimate = Math.ceil(((this.nRows * totalChars) / charsDone) * 1.02) + 16;
    }
    const capacity = Math.max(Math.ceil(this.capacity * 1.5), estimate);
    const lines = new Uint32Array(capacity);
    lines.set(this.lines.subarray(0, this.nRows));
    this.lines = lines;
    for (const b of this.builders) b.grow(capacity, this.nRows);
    this.capacity = capacity;
  }
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
  return n;
}

/** Picks `,` `;` or tab: the one found most often (outside quotes) in the first line; `,` on a tie. */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  return scanDelimiter(text).delimiter;
}

/** `decided`: the first line ended within `text`, so more text would not change the answer. */
function scanDelimiter(text: string): { delimiter: ',' | ';' | '\t'; decided: boolean } {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  let decided = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (counts[','] + counts[';'] + counts['\t'] > 0) {
        decided = true;
        break;
      }
    } else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const delimiter =
    counts[';'] > counts[','] && counts[';'] >= counts['\t']
      ? ';'
      : counts['\t'] > counts[','] && counts['\t'] > counts[';']
        ? '\t'
        : ',';
  return { delimiter, decided };
}

/** Validates header names: present, not data-looking, unique. */
function checkHeader(fields: string[], file: string): string[] {
  const trimmed = fields.map((f) => f.trim());
  if (trimmed.every((f) => f === '' || NUMBER.test(f))) {
    const shown = fields.slice(0, 5).join(', ') + (fields.length > 5 ? ', ...' : '');
    throw new InputError(
      `the first row looks like data, not a header (${shown}); add a header line naming the columns`,
      {
        file,
        row: 1,
      },
    );
  }
  const unnamed = trimmed.flatMap((f, j) => (f === '' ? [j + 1] : []));
  if (unnamed.length > 0) {
    throw new InputError(
      `header has no name for column${unnamed.length > 1 ? 's' : ''} ${unnamed.join(', ')} ` +
        '(is the first row data, not a header?); name every column',
      { file, row: 1 },
    );
  }
  const seen = new Map<string, number>();
  for (let j = 0; j < fields.length; j++) {
    const first = seen.get(fields[j]);
    if (first !== undefined) {
      throw new InputError(
        `column name "${fields[j]}" appears twice in the header (columns ${first + 1} and ${j + 1}); rename one`,
        { file, row: 1, column: fields[j] },
      );
    }
    seen.set(fields[j], j);
  }
  return fields;
}
