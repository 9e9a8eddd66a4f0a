import { describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPhone, maskRecord } from './masking.js';

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits of a mainland mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(' 13812345678 ')).toBe('138****5678');
  });

  it('keeps a country code and the separators', () => {
    expect(maskPhone('+86 13812345678')).toBe('+86 138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138-****-5678');
    expect(maskPhone('+1 (415) 555-0132')).toBe('+1 (415) ***-0132');
  });

  it('reveals at most half the digits of short numbers', () => {
    expect(maskPhone('55501321')).toBe('****1321');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('110')).toBe('***');
    expect(maskPhone('')).toBe('');
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('zhang.san@example.com')).toBe('z***@example.com');
    expect(maskEmail('a@b.cn')).toBe('a***@b.cn');
  });

  it('hides the length of the local part and copes with non-Latin and malformed addresses', () => {
    expect(maskEmail('x@example.com')).toBe('x***@example.com');
    expect(maskEmail('xavier.longname@example.com')).toBe('x***@example.com');
    expect(maskEmail('张三@例子.中国')).toBe('张***@例子.中国');
    expect(maskEmail('not-an-email')).toBe('n***********');
    expect(maskEmail('@example.com')).toBe('@***********');
  });
});

describe('maskName', () => {
  it('keeps the surname of Chinese names', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('王')).toBe('王');
  });

  it('keeps the initial of each word of Latin-script names', () => {
    expect(maskName('John Doe')).toBe('J*** D**');
    expect(maskName('Mary-Jane O’Neil')).toBe('M***-J*** O’N***');
    expect(maskName('  Zoë  ')).toBe('Z**');
  });

  it('keeps the middle dot of transliterated names', () => {
    expect(maskName('Abdul·Rahman')).toBe('A****·R*****');
    expect(maskName('阿卜杜·热合曼')).toBe('阿******');
  });
});

describe('maskRecord', () => {
  it('masks the listed string fields and leaves the rest', () => {
    const row = { id: 'c1', name: '李四', phone: '13900001111', email: null, spend: 12.5 };
    expect(maskRecord(row, { name: 'name', phone: 'phone', email: 'email' })).toEqual({
      id: 'c1',
      name: '李*',
      phone: '139****1111',
      email: null,
      spend: 12.5,
    });
    expect(row.name).toBe('李四');
  });
});
