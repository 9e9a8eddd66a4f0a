import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { detectDelimiter, readCsv } from './read-csv.js';
import { cellText, lineOfRow, type Table } from './table.js';

const dir = mkdtempSync(join(tmpdir(), 'churnwatch-read-csv-'));
let fileCount = 0;

/** Writes `content` to a new file in the test's temp dir and returns its path. */
function tempFile(content: string | Uint8Array): string {
  const path = join(dir, `t${fileCount++}.csv`);
  writeFileSync(path, content);
  return path;
}

function column(table: Table, name: string): (string | null)[] {
  const c = table.columns[table.header.indexOf(name)];
  return Array.from({ length: table.nRows }, (_, i) => cellText(c, i));
}

describe('readCsv', () => {
  it('reads a plain UTF-8 file', () => {
    const table = readCsv(tempFile('id,city,n\n1,上海,3\n2,Paris,4\n'));
    expect(table.header).toEqual(['id', 'city', 'n']);
    expect(table.nRows).toBe(2);
    expect(table.encoding).toBe('utf-8');
    expect(column(table, 'city')).toEqual(['上海', 'Paris']);
    expect(table.warnings).toEqual([]);
  });

  it('reads a UTF-8 file with a BOM: the first column name has no BOM', () => {
    const table = readCsv(tempFile('\uFEFFid,n\n1,2\n'));
    expect(table.header).toEqual(['id', 'n']);
  });

  it('reads a GB18030 file and warns that it did', () => {
    // "城市,n\n上海,1\n" with 城市 = B3C7 CAD0 and 上海 = C9CF BAA3 in GBK.
    const bytes = Uint8Array.from([
      0xb3, 0xc7, 0xca, 0xd0, 0x2c, 0x6e, 0x0a, 0xc9, 0xcf, 0xba, 0xa3, 0x2c, 0x31, 0x0a,
    ]);
    const table = readCsv(tempFile(bytes));
    expect(table.encoding).toBe('gb18030');
    expect(table.header).toEqual(['城市', 'n']);
    expect(column(table, '城市')).toEqual(['上海']);
    expect(table.warnings[0]).toContain('GB18030');
  });

  it('reads CRLF line ends', () => {
    const table = readCsv(tempFile('a,b\r\n1,x\r\n2,y\r\n'));
    expect(column(table, 'b')).toEqual(['x', 'y']);
    expect(Array.from(table.rowLines)).toEqual([2, 3]);
  });

  it('reads quoted fields holding delimiters, quotes and newlines, and counts file lines', () => {
    const table = readCsv(tempFile('a,b\n"x, y","say ""hi"""\n"two\r\nlines",z\n3,w\n'));
    expect(column(table, 'a')).toEqual(['x, y', 'two\r\nlines', '3']);
    expect(column(table, 'b')).toEqual(['say "hi"', 'z', 'w']);
    expect(Array.from(table.rowLines)).toEqual([2, 3, 5]);
  });

  it('reads empty and whitespace-only cells as missing, counting the whitespace ones', () => {
    const table = readCsv(tempFile('a,b\n1,\n, \n3,x\n'));
    expect(column(table, 'a')).toEqual(['1', null, '3']);
    expect(column(table, 'b')).toEqual([null, null, 'x']);
    expect(table.columns[1].blankCells).toBe(1);
    expect(table.columns[1].firstBlankRows).toEqual([1]);
  });

  it('skips blank lines, including a trailing one, keeping line numbers right', () => {
    const table = readCsv(tempFile('a,b\n1,2\n\n3,4\n\n'));
    expect(table.nRows).toBe(2);
    expect(lineOfRow(table, 1)).toBe(4);
  });

  it('detects ; and tab separators', () => {
    expect(readCsv(tempFile('a;b\n1,5;2\n')).header).toEqual(['a', 'b']);
    expect(readCsv(tempFile('a\tb\n1\t2\n')).delimiter).toBe('\t');
    expect(detectDelimiter('"x;y",b\n')).toBe(',');
    expect(readCsv(tempFile('a;b\n1;2\n'), { delimiter: ',' }).header).toEqual(['a;b']);
  });

  it('refuses a missing file', () => {
    const path = join(dir, 'nope.csv');
    expect(thrown(() => readCsv(path))).toMatchObject({ message: 'file not found', where: { file: path } });
  });

  it('refuses a directory', () => {
    const path = join(dir, 'sub');
    mkdirSync(path);
    expect(thrown(() => readCsv(path)).message).toBe('is a directory, not a CSV file');
  });

  it('refuses an empty file and a whitespace-only file', () => {
    expect(thrown(() => readCsv(tempFile(''))).message).toBe('file is empty');
    expect(thrown(() => readCsv(tempFile('\n \n'))).message).toContain('file is empty');
  });

  it('refuses a header without rows', () => {
    const path = tempFile('a,b\n');
    expect(thrown(() => readCsv(path))).toMatchObject({
      message: 'has a header but no data rows',
      where: { file: path },
    });
  });

  it('refuses a file whose first row is data', () => {
    const path = tempFile('1,2.5,3\n4,5,6\n');
    const error = thrown(() => readCsv(path));
    expect(error.message).toContain('the first row looks like data, not a header');
    expect(error.where).toEqual({ file: path, row: 1 });
  });

  it('refuses a header with an unnamed column', () => {
    expect(thrown(() => readCsv(tempFile('a,,c\n1,2,3\n'))).message).toContain('no name for column 2');
  });

  it('refuses duplicate column names, naming both columns', () => {
    const error = thrown(() => readCsv(tempFile('id,plan,x,plan\n1,a,2,b\n')));
    expect(error.message).toBe(
      'column name "plan" appears twice in the header (columns 2 and 4); rename one',
    );
    expect(error.where.column).toBe('plan');
  });

  it('refuses a ragged row, naming its line and the field counts', () => {
    const path = tempFile('a,b,c\n1,2,3\n"multi\nline",2,3\n4,5\n');
    const error = thrown(() => readCsv(path));
    expect(error.message).toBe('line 5 has 2 fields but the header has 3');
    expect(error.where).toEqual({ file: path, row: 5 });
    expect(thrown(() => readCsv(tempFile('a,b\n1,2,3\n'))).message).toContain('line 2 has 3 fields');
  });

  it('refuses an unclosed quote, naming the line it starts on', () => {
    const error = thrown(() => readCsv(tempFile('a,b\n1,2\n3,"open\n4,5\n')));
    expect(error.where.row).toBe(3);
    expect(error.message).toContain('not closed');
  });

  it('refuses bytes that are neither UTF-8 nor GB18030, naming the line', () => {
    const path = tempFile(Uint8Array.from([...new TextEncoder().encode('a,b\n1,2\n3,'), 0xff, 0x0a]));
    expect(thrown(() => readCsv(path)).where).toEqual({ file: path, row: 3 });
  });
});
