import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { decodeText, firstInvalidGb18030, firstInvalidUtf8 } from './decode.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(utf8(p)) : p)));
// '中文' in GBK/GB18030 (D6D0 CEC4); '€' is 0x80 in GB18030's single-byte range.
const ZHONGWEN_GBK = [0xd6, 0xd0, 0xce, 0xc4];

describe('decodeText', () => {
  it('decodes UTF-8 without a BOM', () => {
    expect(decodeText(utf8('a,b\n中文,1\n'), 'f.csv')).toEqual({
      text: 'a,b\n中文,1\n',
      encoding: 'utf-8',
      hadBom: false,
    });
  });

  it('strips a UTF-8 BOM', () => {
    const result = decodeText(bytes([0xef, 0xbb, 0xbf], 'a,b\n'), 'f.csv');
    expect(result).toEqual({ text: 'a,b\n', encoding: 'utf-8', hadBom: true });
  });

  it('falls back to GB18030 when the bytes are not UTF-8, and says so', () => {
    const result = decodeText(bytes('city,n\n', ZHONGWEN_GBK, ',1\n'), 'f.csv');
    expect(result).toEqual({ text: 'city,n\n中文,1\n', encoding: 'gb18030', hadBom: false });
  });

  it('decodes GB18030 when asked to', () => {
    expect(decodeText(bytes(ZHONGWEN_GBK), 'f.csv', 'gb18030').text).toBe('中文');
  });

  it('decodes UTF-16 LE and BE with a BOM', () => {
    expect(decodeText(Uint8Array.from([0xff, 0xfe, 0x61, 0, 0x2c, 0, 0x62, 0]), 'f.csv')).toEqual({
      text: 'a,b',
      encoding: 'utf-16le',
      hadBom: true,
    });
    expect(decodeText(Uint8Array.from([0xfe, 0xff, 0, 0x61]), 'f.csv').encoding).toBe('utf-16be');
  });

  it('refuses bytes valid in neither encoding, naming the line and the byte offset', () => {
    // Line 3 holds 0xFF, which starts no sequence in UTF-8 nor in GB18030.
    const data = bytes('a,b\n1,2\nx,', [0xff], '\n');
    const error = thrown(() => decodeText(data, 'bad.csv'));
    expect(error.where).toEqual({ file: 'bad.csv', row: 3 });
    expect(error.message).toContain('neither UTF-8');
    expect(error.message).toContain('byte offset 10');
  });

  it('refuses invalid UTF-8 when UTF-8 is asked for, with the offset in the file (BOM included)', () => {
    const data = bytes([0xef, 0xbb, 0xbf], 'a\n', ZHONGWEN_GBK, '\n');
    const error = thrown(() => decodeText(data, 'bom.csv', 'utf-8'));
    expect(error.where).toEqual({ file: 'bom.csv', row: 2 });
    expect(error.message).toBe('is not valid UTF-8: bad byte 0xD6 at line 2, byte offset 5');
  });

  it('refuses invalid GB18030 when GB18030 is asked for', () => {
    const data = bytes('a\nb\n', [0xd6, 0x20], '\n');
    const error = thrown(() => decodeText(data, 'gb.csv', 'gb18030'));
    expect(error.where).toEqual({ file: 'gb.csv', row: 3 });
  });

  it('refuses a broken UTF-16 file', () => {
    const error = thrown(() => decodeText(Uint8Array.from([0xff, 0xfe, 0x61]), 'u16.csv'));
    expect(error.message).toContain('UTF-16LE');
  });
});

describe('first invalid byte', () => {
  it('agrees with the fatal decoders', () => {
    expect(firstInvalidUtf8(utf8('héllo 中文 😀'))).toBe(utf8('héllo 中文 😀').length);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xe4, 0xb8]))).toBe(1); // cut short
    expect(firstInvalidGb18030(Uint8Array.from([0x61, ...ZHONGWEN_GBK, 0xff]))).toBe(5);
    // 4-byte form, structurally valid but its pointer (39420) is past the mapped range: found by the search.
    expect(firstInvalidGb18030(Uint8Array.from([0x61, 0x84, 0x31, 0xa5, 0x30]))).toBe(1);
  });
});
