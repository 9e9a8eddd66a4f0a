import { describe, expect, it } from 'vitest';
import { Random } from '../ml/random.js';
import { parseNumber, parseShortestNumber } from './parse-cell.js';

describe('parseShortestNumber', () => {
  it('reads the texts String() writes, as Number() does', () => {
    for (const text of [
      '0',
      '7',
      '-7',
      '0.5',
      '-0.25',
      '123456789012345',
      '1.23457',
      '-0.0500853',
      '0.000001',
    ]) {
      expect(parseShortestNumber(text), text).toBe(Number(text));
      expect(String(parseShortestNumber(text))).toBe(text);
    }
  });

  it('leaves every other spelling to the slow path (NaN)', () => {
    const others = [
      '',
      '-',
      '.',
      '-0',
      '00',
      '007',
      '.5',
      '5.',
      '1.50',
      '0.0',
      '+1',
      ' 1',
      '1 ',
      '1e5',
      '1E-5',
    ];
    others.push('1234567890123456', '0.0000001', '1,5', 'NaN', 'inf', '1.2.3', '--1', '0x10', '١');
    for (const text of others) expect(parseShortestNumber(text), JSON.stringify(text)).toBeNaN();
  });

  it('agrees with String() and parseNumber on random decimal texts (slow twin)', () => {
    const random = new Random(11);
    const digits = '0123456789';
    for (let t = 0; t < 20_000; t++) {
      let text = random.next() < 0.3 ? '-' : '';
      const intDigits = Math.floor(random.next() * 10);
      for (let k = 0; k < intDigits; k++) text += digits[Math.floor(random.next() * 10)];
      if (random.next() < 0.6) {
        text += '.';
        const fracDigits = Math.floor(random.next() * 10);
        for (let k = 0; k < fracDigits; k++) text += digits[Math.floor(random.next() * 10)];
      }
      const x = parseShortestNumber(text);
      if (Number.isNaN(x)) continue;
      expect(String(x), text).toBe(text);
      expect(x, text).toBe(parseNumber(text));
    }
  });
});
