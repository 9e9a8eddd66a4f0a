import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordStartLines } from './record-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'record-lines-'));
let count = 0;
function file(text: string): string {
  const path = join(dir, `f${count++}.csv`);
  writeFileSync(path, text);
  return path;
}

describe('recordStartLines', () => {
  it('needs no map when every record is one line', () => {
    expect(recordStartLines(file('a,b\n1,2\n3,4\n'))).toBeNull();
    expect(recordStartLines(file('a,b\r\n1,"x,y"\r\n3,4\r\n'))).toBeNull();
  });

  it('skips blank lines as the reader does', () => {
    expect(Array.from(recordStartLines(file('a,b\n1,2\n\n3,4\r\n\r\n5,6\n'))!)).toEqual([2, 4, 6]);
  });

  it('follows quoted cells across lines, doubled quotes included', () => {
    const text = 'a,b\n1,"two\nlines"\n2,"say ""hi""\n"\n3,4\n';
    expect(Array.from(recordStartLines(file(text))!)).toEqual([2, 4, 6]);
  });
});
