// The slow twin of readCsv for tests: decodes the whole file, parses the whole text with one papaparse call and
// dictionary-encodes every column — the reader as it was before it read in blocks and stored numbers.

import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { decodeText } from '../decode.js';
import { detectDelimiter } from '../read-csv.js';
import { cellText, type Table, type TextColumn } from '../table.js';

/** Reads a well-formed file (no error checks beyond papaparse's) into a Table of TextColumns. */
export function readCsvWhole(path: string): Table {
  const { text, encoding } = decodeText(readFileSync(path), path);
  const delimiter = detectDelimiter(text);
  const canSpanLines = text.includes('"');
  let header: string[] | undefined;
  let columns: { name: string; values: string[]; index: Map<string, number>; codes: number[] }[] = [];
  const blanks: { count: number; rows: number[] }[] = [];
  const lines: number[] = [];
  let nextLine = 1;
  Papa.parse<string[]>(text, {
    delimiter,
    quoteChar: '"',
    skipEmptyLines: false,
    step: (results) => {
      const fields = results.data;
      const newline = results.meta.linebreak === '\r' ? '\r' : '\n';
      const line = nextLine;
      nextLine += 1;
      if (canSpanLines) for (const f of fields) nextLine += f.split(newline).length - 1;
      if (fields.length === 1 && fields[0] === '') return;
      if (header === undefined) {
        header = fields;
        columns = fields.map((name) => ({ name, values: [], index: new Map(), codes: [] }));
        for (const _ of fields) blanks.push({ count: 0, rows: [] });
        return;
      }
      const row = lines.length;
      lines.push(line);
      fields.forEach((cell, j) => {
        const column = columns[j];
        if (cell.trim() === '') {
          if (cell !== '' && blanks[j].count++ < 5) blanks[j].rows.push(row);
          column.codes.push(-1);
          return;
        }
        let code = column.index.get(cell);
        if (code === undefined) {
          code = column.values.push(cell) - 1;
          column.index.set(cell, code);
        }
        column.codes.push(code);
      });
    },
  });
  const rowLines = Uint32Array.from(lines);
  const textColumns = columns.map(
    (c, j): TextColumn => ({
      name: c.name,
      values: c.values,
      codes: Int32Array.from(c.codes),
      blankCells: blanks[j].count,
      firstBlankRows: blanks[j].rows,
      rowLines,
    }),
  );
  return {
    file: path,
    encoding,
    delimiter,
    header: header ?? [],
    columns: textColumns,
    nRows: lines.length,
    rowLines,
    warnings: encoding === 'gb18030' ? ['the file is not valid UTF-8; it was read as GB18030 (GBK)'] : [],
  };
}

/** Everything a table says, cell texts instead of encodings, for `toEqual` between readers. */
export function tableContents(table: Table): unknown {
  return {
    file: table.file,
    encoding: table.encoding,
    delimiter: table.delimiter,
    header: table.header,
    nRows: table.nRows,
    rowLines: Array.from(table.rowLines),
    warnings: table.warnings,
    columns: table.columns.map((column) => ({
      name: column.name,
      blankCells: column.blankCells,
      firstBlankRows: column.firstBlankRows,
      cells: Array.from({ length: table.nRows }, (_, i) => cellText(column, i)),
    })),
  };
}
