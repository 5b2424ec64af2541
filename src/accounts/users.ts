import type { Kysely } from 'kysely';
import { DomainError } from '../lib/domain-error.js';
import { isoNow, type Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { Database } from '../store/database.js';
import { hashPassword } from './passwords.js';
import type { UsersTable } from './tables.js';
import type { Locale, UserView } from '../../core/api/accounts.js';

export { LOCALES, type Locale, type UserView } from '../../core/api/accounts.js';

export const presentUser = (row: Pick<UsersTable, 'id' | 'email' | 'name' | 'locale' | 'created_at'>): UserView => ({
  id: row.id,
  email: row.email,
  name: row.name,
  locale: row.locale,
  createdAt: row.created_at,
});

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export class EmailTakenError extends DomainError {
  constructor(email: string) {
    super('email_taken', `An account with the email ${email} already exists`, 409);
  }
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  locale?: Locale;
}

export async function createUser(db: Kysely<Database>, clock: Clock, input: NewUser): Promise<UserView> {
  const email = normalizeEmail(input.email);
  if (await findUserByEmail(db, email)) throw new EmailTakenError(email);
  const row = {
    id: newId(),
    email,
    name: input.name.trim(),
    password_hash: await hashPassword(input.password),
    locale: input.locale ?? 'en',
    created_at: isoNow(clock),
  };
  await db.insertInto('users').values(row).execute();
  return presentUser(row);
}

export async function findUserById(db: Kysely<Database>, id: string): Promise<UserView | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && presentUser(row);
}

/** The account with this email (normalized here, as sign-up stored it), for commands that name a user by email. */
export async function findUserByEmail(db: Kysely<Database>, email: string): Promise<UserView | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row && presentUser(row);
}

export interface UserSummary {
  id: string;
  name: string;
  email: string;
}

const summaryQuery = (db: Kysely<Database>, ids: readonly string[]) =>
  db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', [...new Set(ids)]);

/** Names and emails of the given users, for modules that show who wrote or did something. */
export async function userSummaries(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, { name: string; email: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await summaryQuery(db, ids).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}

/** The given users (unknown ids left out) in name order, sorted by the store so names follow the dialect's collation; ties by id. */
export async function userSummariesByName(db: Kysely<Database>, ids: readonly string[]): Promise<UserSummary[]> {
  if (ids.length === 0) return [];
  return summaryQuery(db, ids).orderBy('name').orderBy('id').execute();
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const { count } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

export async function updateProfile(db: Kysely<Database>, userId: string, changes: { name?: string; locale?: Locale }): Promise<UserView> {
  const values: Partial<UsersTable> = {};
  if (changes.name !== undefined) values.name = changes.name.trim();
  if (changes.locale !== undefined) values.locale = changes.locale;
  if (Object.keys(values).length > 0) await db.updateTable('users').set(values).where('id', '=', userId).execute();
  const user = await findUserById(db, userId);
  if (!user) throw new Error('user vanished during update');
  return user;
}
