/**
 * The users a test WordPress is seeded with: realistic and awkward, and deterministic from
 * the seed, so a test can recompute exactly what WordPress must answer.
 *
 * The first users are the awkward cases (each names why it exists in `why`); the rest are
 * ordinary members drawn from name pools in several scripts. Rows are written straight to
 * the database (as an old import plugin would), so nothing WordPress would refuse on the way
 * in (invalid emails, emails that differ only in case) is lost. Every value respects the
 * column sizes of wp_users (login 60, nicename 50, email 100, url 100, display_name 250
 * characters): WordPress runs MariaDB without strict mode, which would truncate silently.
 */
import { seedRandom, type SeedRandom } from './seed-random';

/** Extra profile fields the test WordPress exposes through the companion plugin. */
export const SEED_META_KEYS = ['billing_phone', 'company', 'membership_level'] as const;
export type SeedMetaKey = (typeof SEED_META_KEYS)[number];

export interface SeedUser {
  readonly id: number;
  readonly username: string;
  readonly slug: string;
  readonly email: string;
  readonly url: string;
  /** display_name */
  readonly name: string;
  readonly first_name: string;
  readonly last_name: string;
  readonly nickname: string;
  /** As WordPress's REST API prints user_registered: `gmdate('c')`. */
  readonly registered_date: string;
  readonly roles: readonly string[];
  /** The forcesites_tags meta, in order. */
  readonly tags: readonly string[];
  /** Values of SEED_META_KEYS; a missing key has no meta row. */
  readonly meta: Partial<Record<SeedMetaKey, string>>;
  /** Which awkward case this user covers (empty for ordinary members). */
  readonly why: readonly string[];
}

export interface SeedUsersOptions {
  readonly count: number;
  readonly seed: number;
  /** The first seeded id; the administrator created at install is id 1. */
  readonly firstId?: number;
}

export const SEED_LIMITS = { login: 60, nicename: 50, email: 100, url: 100, displayName: 250 } as const;

const LONG_FIRST = 'Maximiliana-Wilhelmina '.repeat(12).slice(0, 255);
const LONG_LAST = "Featherstonehaugh-O'Donoghue ".repeat(10).slice(0, 255);
const LONG_TAG = 'Annual members who joined at the 2019 spring conference and renewed online before June';
const LONG_EMAIL_LOCAL = 'firstname.middlename.lastname.with.a.very.long.local.part+newsletter';

/** The awkward cases, in id order. Dates are fixed so each reads as a story. */
type Awkward = Omit<SeedUser, 'id' | 'slug' | 'nickname' | 'url' | 'meta'> & { meta?: SeedUser['meta']; url?: string };

const AWKWARD: readonly Awkward[] = [
  { username: 'sean.obrien', email: 'sean.obrien@example.org', name: "Seán O'Brien", first_name: 'Seán', last_name: "O'Brien", registered_date: '2012-03-17T09:15:00+00:00', roles: ['subscriber'], tags: ['Newsletter'], why: ['apostrophe', 'accent'], meta: { billing_phone: '+353 1 555 0101', company: "O'Brien & Daughters" } },
  { username: 'zoe.nunez', email: 'zoe.nunez@example.org', name: 'Zoë Núñez-García', first_name: 'Zoë', last_name: 'Núñez-García', registered_date: '2013-07-04T18:30:05+00:00', roles: ['subscriber'], tags: ['newsletter'], why: ['accent', 'tag-case'] },
  { username: 'wang.xiuying', email: 'wang.xiuying@example.cn', name: '王秀英', first_name: '秀英', last_name: '王', registered_date: '2014-02-01T00:00:00+00:00', roles: ['customer'], tags: ['NEWSLETTER', '会员'], why: ['non-latin', 'tag-case'], meta: { company: '北京示例有限公司' } },
  { username: 'dmitri.ivanov', email: 'dmitri.ivanov@example.ru', name: 'Дмитрий Иванов', first_name: 'Дмитрий', last_name: 'Иванов', registered_date: '2015-11-30T23:59:59+00:00', roles: ['author'], tags: ['Авторы'], why: ['non-latin'] },
  { username: 'layla.haddad', email: 'layla.haddad@example.org', name: 'ليلى حداد', first_name: 'ليلى', last_name: 'حداد', registered_date: '2016-05-05T05:05:05+00:00', roles: ['subscriber'], tags: [], why: ['non-latin', 'rtl', 'no-tags'] },
  { username: 'ananya.iyer', email: 'ananya.iyer@example.in', name: 'अनन्या अय्यर', first_name: 'अनन्या', last_name: 'अय्यर', registered_date: '2017-01-26T10:00:00+00:00', roles: ['contributor'], tags: ['Events, 2024'], why: ['non-latin', 'tag-comma'] },
  { username: 'sunflower.ana', email: 'ana@example.org', name: 'Ana 🌻', first_name: 'Ana 🌻', last_name: 'Dev 👩‍💻', registered_date: '2018-06-21T12:00:00+00:00', roles: ['subscriber'], tags: ['🎟️ VIP', 'Members/Gold'], why: ['emoji', 'tag-slash'], meta: { membership_level: 'Gold ⭐' } },
  { username: 'long.names', email: 'long.names@example.org', name: LONG_FIRST.slice(0, SEED_LIMITS.displayName), first_name: LONG_FIRST, last_name: LONG_LAST, registered_date: '2018-12-31T23:00:00+00:00', roles: ['subscriber'], tags: [LONG_TAG], why: ['255-character-name', 'tag-80-plus'] },
  { username: 'long.email', email: `${LONG_EMAIL_LOCAL}@members.mail.example.org`.slice(0, SEED_LIMITS.email), name: 'Longmail Person', first_name: 'Longmail', last_name: 'Person', registered_date: '2019-02-28T08:00:00+00:00', roles: ['subscriber'], tags: [], why: ['long-email', 'plus-email'] },
  { username: 'ada.plus', email: 'ada+newsletter@example.org', name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', registered_date: '2019-10-15T14:45:00+00:00', roles: ['editor'], tags: ['Newsletter', 'newsletter'], why: ['plus-email', 'tag-case'] },
  { username: 'grace.upper', email: 'Grace.Hopper@Example.org', name: 'Grace Hopper', first_name: 'Grace', last_name: 'Hopper', registered_date: '2020-01-01T00:00:01+00:00', roles: ['subscriber'], tags: [], why: ['email-case'] },
  { username: 'grace.lower', email: 'grace.hopper@example.org', name: 'Grace Hopper', first_name: 'Grace', last_name: 'Hopper', registered_date: '2020-01-02T00:00:01+00:00', roles: ['subscriber'], tags: [], why: ['email-case'] },
  { username: 'legacy.noat', email: 'not-an-email', name: 'Legacy Import', first_name: 'Legacy', last_name: 'Import', registered_date: '2012-01-01T00:00:00+00:00', roles: ['subscriber'], tags: [], why: ['invalid-email'] },
  { username: 'legacy.double', email: 'jane@@example.org', name: 'Jane Doubleat', first_name: 'Jane', last_name: 'Doubleat', registered_date: '2012-01-02T00:00:00+00:00', roles: ['subscriber'], tags: [], why: ['invalid-email'] },
  { username: 'legacy.space', email: 'john smith@example.org', name: 'John Smith', first_name: 'John', last_name: 'Smith', registered_date: '2012-01-03T00:00:00+00:00', roles: ['subscriber'], tags: [], why: ['invalid-email'] },
  { username: 'legacy.empty', email: '', name: 'No Email', first_name: 'No', last_name: 'Email', registered_date: '2012-01-04T00:00:00+00:00', roles: ['subscriber'], tags: [], why: ['invalid-email', 'empty-email'] },
  { username: 'tom.and.jerry', email: 'tom.jerry@example.org', name: 'Tom & Jerry "The Duo"', first_name: 'Tom & Jerry', last_name: '"The Duo"', registered_date: '2021-04-01T09:09:09+00:00', roles: ['subscriber', 'customer'], tags: ['Cats & Mice', 'a/b/c', 'x,y'], why: ['ampersand', 'quotes', 'two-roles', 'tag-comma', 'tag-slash'] },
  { username: 'back.slash', email: 'back.slash@example.org', name: 'Back\\Slash', first_name: 'Back\\Slash', last_name: "D'Arcy\\", registered_date: '2021-08-08T08:08:08+00:00', roles: ['subscriber'], tags: ['C:\\Members\\2021', "it's"], why: ['backslash', 'apostrophe'] },
  { username: 'mgr@example.org', email: 'mgr@example.org', name: 'Shop Manager', first_name: 'Sam', last_name: 'Manager', registered_date: '2022-03-03T03:03:03+00:00', roles: ['editor', 'customer'], tags: ['Staff'], why: ['email-as-login', 'two-roles'] },
  { username: 'admin.two', email: 'second.admin@example.org', name: 'Second Admin', first_name: 'Second', last_name: 'Admin', registered_date: '2023-05-20T16:20:00+00:00', roles: ['administrator'], tags: [], why: ['administrator'] },
  { username: 'many.tags', email: 'many.tags@example.org', name: 'Tagged Member', first_name: 'Tagged', last_name: 'Member', registered_date: '2024-02-29T12:00:00+00:00', roles: ['subscriber'], tags: Array.from({ length: 60 }, (_, i) => `Course ${String(i + 1).padStart(2, '0')}`), why: ['many-tags', 'leap-day'], meta: { membership_level: 'Bronze', billing_phone: '' } },
  { username: 'no.names', email: 'no.names@example.org', name: 'no.names', first_name: '', last_name: '', registered_date: '2025-12-31T23:59:59+00:00', roles: ['subscriber'], tags: ['Trial'], why: ['empty-names'] },
  { username: 'greek.name', email: 'eleni@example.gr', name: 'Ελένη Παπαδοπούλου', first_name: 'Ελένη', last_name: 'Παπαδοπούλου', registered_date: '2016-08-15T07:30:00+00:00', roles: ['subscriber'], tags: ['Μέλη', 'ΜΕΛΗ'], why: ['non-latin', 'tag-case'] },
  { username: 'japanese.name', email: 'yamada@example.jp', name: '山田 太郎', first_name: '太郎', last_name: '山田', registered_date: '2017-04-01T00:00:00+00:00', roles: ['customer'], tags: [], why: ['non-latin'], url: 'https://例え.jp/' },
  { username: 'multiline.company', email: 'lines@example.org', name: 'Line Breaks', first_name: 'Line', last_name: 'Breaks', registered_date: '2020-07-07T07:07:07+00:00', roles: ['subscriber'], tags: [], why: ['multiline-meta'], meta: { company: 'First line\nSecond line' } },
];

const FIRST_POOLS = [
  ['James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Linda', 'Aoife', 'Niamh', 'Siobhán', 'Ciarán'],
  ['José', 'María', 'Jürgen', 'Søren', 'François', 'Ægir', 'Łukasz', 'Zoë', 'Renée', 'Ðorđe', 'İlkay', 'Þóra'],
  ['伟', '芳', '娜', '敏', '静', '陽翔', '結衣', '민준', '서연'],
  ['Александр', 'Мария', 'Иван', 'Ольга', 'Νίκος', 'Μαρία', 'محمد', 'فاطمة', 'יוסף', 'שרה', 'राहुल', 'प्रिया'],
];
const LAST_POOLS = [
  ['Smith', 'Johnson', 'Williams', 'Brown', "O'Neill", "D'Angelo", 'MacDonald', 'Van der Berg', 'de la Cruz', 'Smith-Jones'],
  ['Müller', 'Øvergård', 'Lefèvre', 'Nuñez', 'Wójcik', 'Đukić', 'Şahin', 'Ármannsdóttir', 'Höglund', 'Çelik'],
  ['王', '李', '张', '佐藤', '鈴木', '김', '이'],
  ['Петров', 'Смирнова', 'Παπαδόπουλος', 'الحسن', 'כהן', 'शर्मा'],
];
const DOMAINS = ['example.org', 'example.com', 'mail.example.net', 'members.example.co.uk', 'example.de'];
const ROLES = ['subscriber', 'subscriber', 'subscriber', 'subscriber', 'customer', 'customer', 'contributor', 'author', 'editor'];
const TAGS = ['Newsletter', 'newsletter', 'Member', 'Gold', 'Silver', 'Events, 2025', 'Region/North', 'Region/South', 'Volunteer', 'Donor 💚', 'Webinar attendee', LONG_TAG, 'Übung', 'Board'];
const LEVELS = ['Bronze', 'Silver', 'Gold', 'Platinum', 'Lifetime'];

export function seedUsers(options: SeedUsersOptions): SeedUser[] {
  const random = seedRandom(options.seed);
  const firstId = options.firstId ?? 2;
  const users: SeedUser[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const id = firstId + index;
    const awkward = AWKWARD[index];
    users.push(awkward === undefined ? ordinaryUser(random, id) : fromAwkward(awkward, id));
  }
  return users;
}

function fromAwkward(user: Awkward, id: number): SeedUser {
  return { ...user, id, slug: nicename(user.username, id), nickname: user.username, url: user.url ?? '', meta: user.meta ?? {} };
}

function ordinaryUser(random: SeedRandom, id: number): SeedUser {
  const pool = random.int(0, FIRST_POOLS.length - 1);
  const first = random.pick(FIRST_POOLS[pool]!);
  const last = random.pick(LAST_POOLS[random.chance(0.7) ? pool : random.int(0, LAST_POOLS.length - 1)]!);
  const ascii = `${asciiName(first) || 'member'}.${asciiName(last) || 'user'}`;
  const username = `${ascii}${id}`.slice(0, SEED_LIMITS.login);
  const plus = random.chance(0.08) ? `+${random.pick(['news', 'shop', 'events'])}` : '';
  const local = random.chance(0.1) ? `${ascii}${id}`.toUpperCase() : `${ascii}${id}`;
  const email = `${local}${plus}@${random.pick(DOMAINS)}`.slice(0, SEED_LIMITS.email);
  // Registered dates over fourteen years, to the second.
  const registered = new Date(Date.UTC(2012, 0, 1) + Math.floor(random.next() * 14 * 365.25 * 86_400) * 1000);
  const roles = [random.pick(ROLES)];
  const tags: string[] = [];
  for (let count = random.int(0, 4); tags.length < count; ) {
    const tag = random.pick(TAGS);
    if (!tags.includes(tag)) tags.push(tag);
  }
  const meta: Partial<Record<SeedMetaKey, string>> = {};
  if (random.chance(0.6)) meta.billing_phone = `+1 555 ${String(random.int(0, 9999)).padStart(4, '0')}`;
  if (random.chance(0.3)) meta.company = `${last} ${random.pick(['Ltd', 'GmbH', '& Co.', 'S.A.', '株式会社'])}`;
  if (random.chance(0.5)) meta.membership_level = random.pick(LEVELS);
  return {
    id,
    username,
    slug: nicename(username, id),
    email,
    url: random.chance(0.1) ? `https://${asciiName(last) || 'site'}${id}.example.net` : '',
    name: `${first} ${last}`,
    first_name: first,
    last_name: last,
    nickname: username,
    registered_date: registered.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    roles,
    tags,
    meta,
    why: [],
  };
}

function asciiName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** user_nicename: the author slug, unique, at most 50 characters. */
function nicename(username: string, id: number): string {
  const base = username.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'user';
  return `${base.slice(0, SEED_LIMITS.nicename - String(id).length - 1)}-${id}`;
}
