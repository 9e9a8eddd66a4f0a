// Bytes of a data file to text: UTF-8 (with or without BOM), GB18030/GBK as a fallback, UTF-16 with a BOM.
// Invalid bytes are reported with the line and byte offset of the first bad byte.

import { InputError } from '../errors.js';

/** Encodings a caller may ask for; 'auto' tries UTF-8, then GB18030. */
export type RequestedEncoding = 'utf-8' | 'gb18030' | 'auto';

/** Encodings a file may turn out to be in. */
export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** Decoded text and how it was decoded. */
export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** True when the bytes started with a byte-order mark (removed from `text`). */
  hadBom: boolean;
}

/** Decodes a file's bytes; throws InputError naming line and byte offset of the first byte that is not valid. */
export function decodeText(
  bytes: Uint8Array,
  file: string,
  encoding: RequestedEncoding = 'auto',
): DecodedText {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    return decodeUtf16(bytes, file, bytes[0] === 0xff ? 'utf-16le' : 'utf-16be');
  }
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (encoding === 'gb18030') {
    return { text: decodeOrThrow(bytes, file, 'gb18030'), encoding: 'gb18030', hadBom: false };
  }
  const body = hadBom ? bytes.subarray(3) : bytes;
  if (encoding === 'utf-8')
    return { text: decodeOrThrow(body, file, 'utf-8', hadBom ? 3 : 0), encoding, hadBom };

  const utf8 = tryDecode(body, 'utf-8');
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', hadBom };
  // A UTF-8 BOM followed by non-UTF-8 bytes is a broken UTF-8 file, not GB18030.
  if (hadBom) return { text: decodeOrThrow(body, file, 'utf-8', 3), encoding: 'utf-8', hadBom };
  const gb = tryDecode(bytes, 'gb18030');
  if (gb !== undefined) return { text: gb, encoding: 'gb18030', hadBom: false };

  const badUtf8 = firstInvalidUtf8(bytes);
  const badGb = firstInvalidGb18030(bytes);
  // The encoding that decodes further is most likely the one the file was meant to be in.
  const offset = Math.max(badUtf8, badGb);
  const line = lineAt(bytes, offset);
  throw new InputError(
    `is neither UTF-8 (bad byte 0x${hex(bytes[badUtf8])} at line ${lineAt(bytes, badUtf8)}, byte offset ${badUtf8}) ` +
      `nor GB18030 (bad byte 0x${hex(bytes[badGb])} at line ${lineAt(bytes, badGb)}, byte offset ${badGb}); ` +
      'save it as UTF-8',
    { file, row: line },
  );
}

function decodeUtf16(bytes: Uint8Array, file: string, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  const body = bytes.subarray(2);
  const text = tryDecode(body, encoding);
  if (text === undefined || body.length % 2 !== 0) {
    throw new InputError(
      `starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding}`,
      {
        file,
      },
    );
  }
  return { text, encoding, hadBom: true };
}

function tryDecode(bytes: Uint8Array, label: string): string | undefined {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** `base` is the number of bytes before `bytes` in the file (a stripped BOM), so offsets match the file. */
function decodeOrThrow(bytes: Uint8Array, file: string, label: 'utf-8' | 'gb18030', base = 0): string {
  const text = tryDecode(bytes, label);
  if (text !== undefined) return text;
  const at = label === 'utf-8' ? firstInvalidUtf8(bytes) : firstInvalidGb18030(bytes);
  const line = lineAt(bytes, at);
  throw new InputError(
    `is not valid ${label === 'utf-8' ? 'UTF-8' : 'GB18030'}: bad byte 0x${hex(bytes[at])} at line ${line}, ` +
      `byte offset ${at + base}`,
    { file, row: line },
  );
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).toUpperCase().padStart(2, '0');
}

/** 1-based line number of byte `offset` (counts LF bytes before it; LF is never part of a multi-byte char). */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF); `bytes.length` when a sequence is cut short.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Offset of the first byte where GB18030 decoding fails. A structural scan (1, 2 or 4-byte sequences) finds
 * most errors; 4-byte sequences outside the mapped range are found by decoding prefixes at character bounds.
 */
export function firstInvalidGb18030(bytes: Uint8Array): number {
  const starts: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    starts.push(i);
    if (b <= 0x80) {
      i++;
      continue;
    }
    if (b === 0xff) return i;
    const b1 = bytes[i + 1];
    if (b1 === undefined) return i;
    if ((b1 >= 0x40 && b1 <= 0x7e) || (b1 >= 0x80 && b1 <= 0xfe)) {
      i += 2;
      continue;
    }
    if (b1 >= 0x30 && b1 <= 0x39) {
      const b2 = bytes[i + 2];
      const b3 = bytes[i + 3];
      if (b2 === undefined || b3 === undefined || b2 < 0x81 || b2 > 0xfe || b3 < 0x30 || b3 > 0x39) return i;
      i += 4;
      continue;
    }
    return i;
  }
  // Structurally fine: binary-search the first character whose prefix no longer decodes.
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const end = mid + 1 < starts.length ? starts[mid + 1] : bytes.length;
    if (tryDecode(bytes.subarray(0, end), 'gb18030') === undefined) hi = mid;
    else lo = mid + 1;
  }
  return lo < starts.length ? starts[lo] : bytes.length;
}
