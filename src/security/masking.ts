// Masking of personal fields for roles without `customers:read-unmasked`: enough left to recognise a record
// on the phone with the customer (`138****5678`, `z***@example.com`, `张*`, `J*** D**`), not enough to
// contact or identify them.

/** Keeps a leading `+CC ` country code, the first 3 and last 4 digits of the rest; other digits become `*`. */
export function maskPhone(phone: string): string {
  const text = phone.trim();
  const country = /^\+\d{1,3}[\s-]/.exec(text)?.[0] ?? '';
  const rest = text.slice(country.length);
  const digits = rest.replace(/\D/g, '').length;
  // Short numbers keep less, so a mask never reveals more than half the digits.
  const head = digits >= 10 ? 3 : 0;
  const tail = digits >= 8 ? 4 : digits >= 5 ? 2 : 0;
  let seen = 0;
  let masked = '';
  for (const char of rest) {
    if (char >= '0' && char <= '9') {
      masked += seen < head || seen >= digits - tail ? char : '*';
      seen++;
    } else masked += char;
  }
  return country + masked;
}

/** Keeps the first character of the local part and the whole domain: `zhang.san@example.com` → `z***@example.com`. */
export function maskEmail(email: string): string {
  const text = email.trim();
  const at = text.lastIndexOf('@');
  if (at <= 0) return maskWord(text);
  const first = Array.from(text.slice(0, at))[0];
  return `${first}***${text.slice(at)}`;
}

/** Characters of the Han script, as in Chinese (and Japanese kanji) names. */
const HAN = /\p{Script=Han}/u;

/**
 * Keeps the first character of a name and of each word in it: `张三丰` → `张**` (the surname stays, as on
 * Chinese bank slips), `John Doe` → `J*** D**`, `Mary-Jane` → `M***-J***`.
 */
export function maskName(name: string): string {
  const text = name.trim();
  const chars = Array.from(text);
  if (chars.length > 0 && HAN.test(chars[0])) return chars[0] + '*'.repeat(chars.length - 1);
  // Separators stay: spaces, hyphens, apostrophes and the middle dot of transliterated names (阿卜杜·热合曼).
  return text
    .split(/([\s\-'’·.]+)/u)
    .map((part, index) => (index % 2 === 1 ? part : maskWord(part)))
    .join('');
}

/** Which masker applies to a field. */
export type PersonalField = 'name' | 'phone' | 'email';

const MASKERS: Record<PersonalField, (value: string) => string> = {
  name: maskName,
  phone: maskPhone,
  email: maskEmail,
};

/** A copy of `record` with the listed fields masked (null and missing values stay as they are). */
export function maskRecord<T extends object>(record: T, fields: Partial<Record<keyof T, PersonalField>>): T {
  const copy = { ...record } as Record<string, unknown>;
  for (const [key, kind] of Object.entries(fields) as [string, PersonalField][]) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = MASKERS[kind](value);
  }
  return copy as T;
}

function maskWord(word: string): string {
  const chars = Array.from(word);
  return chars.length === 0 ? '' : chars[0] + '*'.repeat(chars.length - 1);
}
