import type { RootCategory } from "./category-types.ts";
import type { Columns } from "./bulk-load.ts";
import { DAY, HOUR } from "./clock.ts";
import { asciiHandle, COUNTRIES, type Country } from "./names.ts";
import { WeightedIndex, type Random } from "./random.ts";
import { BIO_CLOSERS } from "./texts.ts";

export const DEMO_PASSWORD = "marketplace-demo";

/** Known logins printed by `npm run dev`; every one uses DEMO_PASSWORD. */
export const DEMO_ACCOUNTS = [
  { email: "buyer@example.com", password: DEMO_PASSWORD, role: "buyer" },
  { email: "seller@example.com", password: DEMO_PASSWORD, role: "seller (profile demo-seller)" },
  { email: "admin@example.com", password: DEMO_PASSWORD, role: "admin and buyer" },
] as const;

const DEMO_SELLER_USERNAME = "demo-seller";

export type UserRow = {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: string[];
  emailVerifiedAt: number;
  createdAt: number;
  updatedAt: number;
};

export type ProfileRow = {
  userId: string;
  username: string;
  displayName: string;
  bio: string;
  skills: string[];
  languages: string[];
  country: string;
  createdAt: number;
  updatedAt: number;
};

export const USER_COLUMNS: Columns<UserRow> = {
  id: "uuid",
  email: "text",
  name: "text",
  passwordHash: "text",
  roles: "text[]",
  emailVerifiedAt: "timestamptz",
  createdAt: "timestamptz",
  updatedAt: "timestamptz",
};

export const PROFILE_COLUMNS: Columns<ProfileRow> = {
  userId: "uuid",
  username: "text",
  displayName: "text",
  bio: "text",
  skills: "text[]",
  languages: "text[]",
  country: "text",
  createdAt: "timestamptz",
  updatedAt: "timestamptz",
};

/** What listing generation needs to know about a seller. */
export interface Seller {
  id: string;
  firstName: string;
  displayName: string;
  years: number;
  root: RootCategory;
}

export interface People {
  users: UserRow[];
  profiles: ProfileRow[];
  /** The demo seller first. */
  sellers: Seller[];
  /** The demo buyer first. */
  buyerIds: string[];
}

interface PeopleOptions {
  sellers: number;
  buyers: number;
  roots: RootCategory[];
  passwordHash: string;
  /** Timestamps count back from here (ms). */
  now: number;
}

export function generatePeople(random: Random, options: PeopleOptions): People {
  const people: People = { users: [], profiles: [], sellers: [], buyerIds: [] };
  const countries = new WeightedIndex(COUNTRIES.map((country) => country.weight));
  const usernames = new Set([DEMO_SELLER_USERNAME]);

  const addUser = (email: string, name: string, roles: string[]) => {
    const createdAt = options.now - random.int(380, 1500) * DAY - random.int(0, 23) * HOUR;
    const user: UserRow = {
      id: random.uuid(),
      email,
      name,
      passwordHash: options.passwordHash,
      roles,
      emailVerifiedAt: createdAt + random.int(1, 30) * 60_000,
      createdAt: createdAt,
      updatedAt: createdAt,
    };
    people.users.push(user);
    return user;
  };

  const addSeller = (user: UserRow, country: Country, firstName: string, displayName: string, username: string, root: RootCategory) => {
    const years = random.int(2, 12);
    const skills = random.sample(root.skills, random.int(3, 6));
    const languages = random.chance(0.2) ? [...country.languages, random.pick(["Spanish", "French", "German", "Arabic"])] : country.languages;
    const bio = [
      `${capitalize(root.role)} from ${country.name} with ${years} years of experience in ${skills.slice(0, 3).join(", ")}.`,
      random.pick(root.pitches),
      random.pick(BIO_CLOSERS),
    ].join(" ");
    people.profiles.push({
      userId: user.id,
      username,
      displayName,
      bio,
      skills,
      languages: [...new Set(languages)],
      country: country.code,
      createdAt: user.createdAt,
      updatedAt: user.createdAt,
    });
    people.sellers.push({ id: user.id, firstName, displayName, years, root });
  };

  const [buyerDemo, sellerDemo, adminDemo] = DEMO_ACCOUNTS;
  people.buyerIds.push(addUser(buyerDemo.email, "Demo Buyer", ["buyer"]).id);
  const demoSeller = addUser(sellerDemo.email, "Demo Seller", ["buyer", "seller"]);
  addSeller(demoSeller, COUNTRIES[0] as Country, "Demo", "Demo Seller", DEMO_SELLER_USERNAME, options.roots[0] as RootCategory);
  addUser(adminDemo.email, "Demo Admin", ["buyer", "admin"]);

  for (let i = 1; i < options.sellers; i++) {
    const country = COUNTRIES[countries.pick(random)] as Country;
    const first = random.pick(country.firstNames);
    const last = random.pick(country.lastNames);
    const displayName = random.weighted([
      [`${first} ${last}`, 7],
      [`${first} ${last.charAt(0)}.`, 2],
      [`${last} ${random.pick(["Studio", "Creative", "Labs", "Digital", "Works"])}`, 1],
    ]);
    const username = uniqueUsername(random, usernames, asciiHandle(first), asciiHandle(last));
    const user = addUser(`${username}@example.org`, `${first} ${last}`, ["buyer", "seller"]);
    addSeller(user, country, first, displayName, username, random.pick(options.roots));
  }

  for (let i = 1; i < options.buyers; i++) {
    const country = COUNTRIES[countries.pick(random)] as Country;
    const first = random.pick(country.firstNames);
    const last = random.pick(country.lastNames);
    // The trailing number makes every address unique (names never end in a digit).
    const email = `${asciiHandle(first)}.${asciiHandle(last)}${i}@example.net`;
    people.buyerIds.push(addUser(email, `${first} ${last}`, ["buyer"]).id);
  }
  return people;
}

/** A handle in the shape sellers pick themselves, matching ^[a-z0-9][a-z0-9_-]{2,29}$. */
function uniqueUsername(random: Random, taken: Set<string>, first: string, last: string): string {
  const base = random
    .weighted([
      [`${first}${last}`, 3],
      [`${first}_${last}`, 2],
      [`${first}-${random.pick(["studio", "works", "pro", "hq", "creative", "digital"])}`, 2],
      [`${first}${last.charAt(0)}${random.int(1, 99)}`, 2],
    ])
    .slice(0, 24);
  let username = base;
  for (let n = 2; taken.has(username); n++) username = `${base}${n}`;
  taken.add(username);
  return username;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
