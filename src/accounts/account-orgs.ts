import type { Kysely } from 'kysely';
import type { OrgView } from '../../core/api/teams.js';
import type { Clock } from '../lib/clock.js';
import type { Database } from '../store/database.js';

/**
 * What sign-up and sign-in need of organizations: create the first one, list a user's. teams
 * implements it (and imports accounts for users and sessions); src/app/ passes it in, so accounts
 * imports nothing of teams.
 */
export interface AccountOrgs {
  createOrg(db: Kysely<Database>, clock: Clock, input: { name: string; ownerUserId: string }): Promise<OrgView>;
  listOrgsForUser(db: Kysely<Database>, userId: string): Promise<OrgView[]>;
}

/** The Fastify options of the account routes. */
export interface AccountRoutesOptions {
  orgs: AccountOrgs;
}
