import { describe, expect, it } from 'vitest';
import { maskPhone } from '../security/masking.js';
import { personalFields } from './names.js';

describe('personalFields', () => {
  it('gives the same fields for the same seed and customer, other fields for others', () => {
    expect(personalFields(7, 42)).toEqual(personalFields(7, 42));
    expect(personalFields(7, 42)).not.toEqual(personalFields(8, 42));
  });

  it('writes mostly Chinese names, mainland mobile numbers and e-mails that fit a CSV cell', () => {
    const people = Array.from({ length: 2000 }, (_, i) => personalFields(7, i));
    const chinese = people.filter((p) => /^\p{Script=Han}{2,3}$/u.test(p.name)).length;
    const latin = people.filter((p) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(p.name)).length;
    expect(chinese + latin).toBe(2000);
    expect(chinese / 2000).toBeGreaterThan(0.85);
    expect(latin).toBeGreaterThan(50);
    const phones = people.map((p) => p.phone).filter((phone) => phone !== '');
    expect(phones.length / 2000).toBeGreaterThan(0.95);
    for (const phone of phones) expect(phone).toMatch(/^1[3-9]\d{9}$/);
    expect(maskPhone(phones[0]!)).toMatch(/^1\d\d\*{4}\d{4}$/);
    const emails = people.map((p) => p.email).filter((email) => email !== '');
    expect(emails.length / 2000).toBeGreaterThan(0.8);
    for (const email of emails) expect(email).toMatch(/^[a-z.]+\d+@[a-z0-9.]+$/);
    for (const p of people) expect(`${p.name}${p.phone}${p.email}`).not.toMatch(/[,"\n]/);
  });
});
