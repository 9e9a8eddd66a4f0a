// The personal fields of the demo customers: a name (mostly Chinese, some Latin), a mainland mobile number
// and an e-mail address, drawn from each customer's own stream so they never change the simulated lives.

import { Random } from '../ml/random.js';

/** A customer's name, phone and e-mail as written to the customers file ('' when the CRM has none). */
export interface PersonalFields {
  name: string;
  phone: string;
  email: string;
}

/** Common surnames with their pinyin (for the e-mail address). */
const SURNAMES: readonly (readonly [string, string])[] = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['朱', 'zhu'],
  ['胡', 'hu'],
  ['郭', 'guo'],
  ['何', 'he'],
  ['林', 'lin'],
  ['罗', 'luo'],
  ['高', 'gao'],
];

const GIVEN_NAMES: readonly (readonly [string, string])[] = [
  ['芳', 'fang'],
  ['伟', 'wei'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['艳', 'yan'],
  ['杰', 'jie'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀英', 'xiuying'],
  ['建国', 'jianguo'],
  ['晓东', 'xiaodong'],
  ['婷', 'ting'],
  ['浩然', 'haoran'],
  ['子涵', 'zihan'],
  ['雨桐', 'yutong'],
  ['思远', 'siyuan'],
];

const LATIN_FIRST = [
  'Anna',
  'David',
  'Emily',
  'James',
  'Laura',
  'Michael',
  'Sophie',
  'Thomas',
  'Olivia',
  'Daniel',
];
const LATIN_LAST = [
  'Smith',
  'Brown',
  'Miller',
  'Wilson',
  'Taylor',
  'Clark',
  'Walker',
  'Young',
  'Lee',
  'Martin',
];

/** Mainland mobile prefixes (China Mobile, Unicom, Telecom). */
const MOBILE_PREFIXES = [
  '138',
  '139',
  '135',
  '136',
  '137',
  '150',
  '151',
  '158',
  '159',
  '186',
  '188',
  '130',
  '131',
  '155',
  '133',
  '153',
  '180',
  '189',
];
const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'example.com'];

/** Share of customers with a Latin-script name; of customers without a phone; without an e-mail. */
const LATIN_SHARE = 0.08;
const NO_PHONE_SHARE = 0.02;
const NO_EMAIL_SHARE = 0.1;

/** Customer i's personal fields for simulation `seed`; the same seed and index always give the same ones. */
export function personalFields(seed: number, i: number): PersonalFields {
  // Negative streams: the simulator's own streams (world, population, customers) are all non-negative.
  const random = new Random(seed, -1 - i);
  const pick = <T>(list: readonly T[]): T => list[random.nextInt(list.length)]!;
  let name: string;
  let handle: string;
  if (random.next() < LATIN_SHARE) {
    const first = pick(LATIN_FIRST);
    const last = pick(LATIN_LAST);
    name = `${first} ${last}`;
    handle = `${first}.${last}`.toLowerCase();
  } else {
    const [surname, surnamePinyin] = pick(SURNAMES);
    const [given, givenPinyin] = pick(GIVEN_NAMES);
    name = surname + given;
    handle = surnamePinyin + givenPinyin;
  }
  const digits = String(random.nextInt(100_000_000)).padStart(8, '0');
  const phone = random.next() < NO_PHONE_SHARE ? '' : pick(MOBILE_PREFIXES) + digits;
  const number = random.nextInt(1000);
  const email = random.next() < NO_EMAIL_SHARE ? '' : `${handle}${number}@${pick(MAIL_DOMAINS)}`;
  return { name, phone, email };
}
