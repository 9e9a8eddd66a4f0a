// readCsv block by block: whatever the block size, the table is the one the whole-text reader (the slow twin)
// gives — rows and quoted newlines cut by a block, multi-byte characters cut by a block, late stray texts.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { inferTable } from './infer-types.js';
import { readCsv } from './read-csv.js';
import { readCsvWhole, tableContents } from './testing/whole-text-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'churnwatch-read-chunks-'));
let fileCount = 0;

function tempFile(content: string | Uint8Array): string {
  const path = join(dir, `t${fileCount++}.csv`);
  writeFileSync(path, content);
  return path;
}

/** Plain rows past the first MiB, so that parsing starts before the end of the file. */
const FILLER_ROWS = 55_000;
const filler = Array.from(
  { length: FILLER_ROWS },
  (_, i) => `${i},Paris,${(i * 0.25) % 97},${i % 7},ok\n`,
).join('');
const HEADER = 'id,city,amount,score,note\n';
// After the filler: a multi-line quoted cell, multi-byte texts, and texts in the numeric columns.
const tail = [
  `${FILLER_ROWS},上海,1.5,"7",中文备注\n`,
  `${FILLER_ROWS + 1},"Paris\nNord",2.5,1.50,"two\r\nlines, 中文"\n`,
  `${FILLER_ROWS + 2},Lyon,NA, 7,"say ""hi"""\n`,
  `${FILLER_ROWS + 3},Lyon,-0,1e-05,x\n`,
  ...Array.from({ length: 30 }, (_, i) => `${FILLER_ROWS + 4 + i},Nice,n/a?,${i === 3 ? '?' : i},y\n`),
].join('');
const text = HEADER + filler + tail;

/** Block sizes that put a boundary inside `needle` (the n-th byte of its first occurrence in `bytes`). */
function cutsInside(bytes: Uint8Array, needle: string): number[] {
  const at = Buffer.from(bytes).indexOf(Buffer.from(needle));
  expect(at).toBeGreaterThan(2 ** 20);
  return [at + 1, at + 2];
}

function expectSameAsWhole(path: string, chunkSizes: number[]): void {
  const whole = readCsvWhole(path);
  const expected = tableContents(whole);
  const inferred = inferTable(whole);
  for (const chunkBytes of chunkSizes) {
    const table = readCsv(path, { chunkBytes });
    expect(tableContents(table), `chunkBytes ${chunkBytes}`).toEqual(expected);
    expect(inferTable(table), `chunkBytes ${chunkBytes}`).toEqual(inferred);
  }
}

describe('readCsv in blocks', () => {
  it('reads a UTF-8 file bigger than a block like the whole-text reader, however the blocks fall', () => {
    const bytes = new TextEncoder().encode(text);
    const path = tempFile(bytes);
    expectSameAsWhole(path, [
      2 ** 22,
      65_536,
      4_099,
      ...cutsInside(bytes, '上海'),
      ...cutsInside(bytes, '中文备注'),
      ...cutsInside(bytes, '\nNord'),
      ...cutsInside(bytes, '\nlines'),
    ]);
  });

  it('reads a GB18030 file bigger than a block, restarting after UTF-8 fails past the first block', () => {
    // GB18030 bytes of the few Chinese characters used; the rest is ASCII.
    const gb: Record<string, number[]> = {
      上: [0xc9, 0xcf],
      海: [0xba, 0xa3],
      中: [0xd6, 0xd0],
      文: [0xce, 0xc4],
      备: [0xb1, 0xb8],
      注: [0xd7, 0xa2],
    };
    const bytes = Uint8Array.from(Array.from(text).flatMap((ch) => gb[ch] ?? [ch.charCodeAt(0)]));
    const path = tempFile(bytes);
    const at = bytes.indexOf(0xc9); // the first byte of 上
    expect(at).toBeGreaterThan(2 ** 20);
    expectSameAsWhole(path, [2 ** 22, 65_536, at + 1, at + 2, ...cutsInside(bytes, '\nNord')]);
    const table = readCsv(path, { chunkBytes: at + 1 });
    expect(table.encoding).toBe('gb18030');
    expect(table.warnings).toEqual(['the file is not valid UTF-8; it was read as GB18030 (GBK)']);
  });

  it('stores a numeric column as numbers until stray texts after the first block make it text', () => {
    const table = readCsv(tempFile(text), { chunkBytes: 65_536 });
    const kind = (name: string) => table.columns[table.header.indexOf(name)].kind ?? 'text';
    expect(kind('id')).toBe('number');
    expect(kind('score')).toBe('number'); // one "?" and odd spellings: still numbers, texts kept aside
    expect(kind('amount')).toBe('text'); // 30 "n/a?" cells: more than a numeric column may have
    const inferred = inferTable(table);
    const score = inferred[table.header.indexOf('score')];
    expect(score).toMatchObject({ type: 'numeric', unparsed: { count: 1, examples: ['?'] } });
    expect(inferred[table.header.indexOf('amount')].type).toBe('categorical');
  });

  it('strips a BOM cut by a block', () => {
    const path = tempFile(`\uFEFF${HEADER}1,a,2,3,x\n`);
    for (const chunkBytes of [1, 2, 4]) {
      expect(readCsv(path, { chunkBytes }).header).toEqual(HEADER.trim().split(','));
    }
  });

  it('keeps the messages and lines of bad files whatever the block size', () => {
    for (const chunkBytes of [1, 2, 3, 5, 64]) {
      const ragged = tempFile('a,b,c\n1,2,3\n"multi\nline",2,3\n4,5\n');
      expect(thrown(() => readCsv(ragged, { chunkBytes })).message).toBe(
        'line 5 has 2 fields but the header has 3',
      );
      const open = tempFile('a,b\n1,2\n3,"open\n4,5\n');
      expect(thrown(() => readCsv(open, { chunkBytes })).where.row).toBe(3);
      const bad = tempFile(Uint8Array.from([...new TextEncoder().encode('a,b\n1,2\n3,'), 0xff, 0x0a]));
      expect(thrown(() => readCsv(bad, { chunkBytes })).where).toEqual({ file: bad, row: 3 });
      expect(thrown(() => readCsv(tempFile('\n \n'), { chunkBytes })).message).toContain('file is empty');
    }
  });

  it('reports an encoding problem before a row problem that comes earlier in the file', () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode(`a,b\n1,2,3\n${filler}`), 0xff, 0x0a]);
    const path = tempFile(bytes);
    expect(thrown(() => readCsv(path, { chunkBytes: 4096 })).message).toContain('is neither UTF-8');
  });
});

describe('number columns with a few texts', () => {
  it('infer as the same columns read as text do: NA tokens, odd spellings, booleans, dates, words', () => {
    const rows = Array.from({ length: 12 }, (_, i) =>
      [
        i,
        ['1', 'NA', '2.50', ' 3', '-0', '1e3', '', ' '][i % 8],
        i % 2 ? 'True' : 'False',
        i === 5 ? '7' : `2024-01-${10 + i}`,
        i % 3 ? 'a' : 'b',
        '',
        i === 4 ? '?' : String(i * 1.5),
      ].join(','),
    );
    const path = tempFile(`id,odd,flag,since,plan,empty,x\n${rows.join('\n')}\n`);
    const table = readCsv(path);
    expect(table.columns.map((c) => c.kind)).toEqual(Array(7).fill('number'));
    const whole = readCsvWhole(path);
    expect(tableContents(table)).toEqual(tableContents(whole));
    expect(inferTable(table)).toEqual(inferTable(whole));
    // Allowing one unparsed cell in 12 makes "since" a date column holding one number, and "x" numeric.
    const lenient = { maxUnparsedShare: 0.1 };
    expect(inferTable(table, lenient)).toEqual(inferTable(whole, lenient));
    expect(inferTable(table, lenient).map((c) => c.type)).toEqual([
      'numeric',
      'numeric',
      'boolean',
      'date',
      'categorical',
      'empty',
      'numeric',
    ]);
  });
});
