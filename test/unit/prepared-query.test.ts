import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createUser } from '../../src/accounts/users.js';
import { PreparedQuery } from '../../src/store/prepared-query.js';
import { createOrg } from '../../src/teams/service.js';
import { preparedOrgQuery, OrgScope } from '../../src/teams/org-scope.js';
import { describeEachStore } from '../support/stores.js';

const clock = () => new Date();

describeEachStore('prepared queries', (current) => {
  it('bind each run its own values by position and keep the constants compiled in', async () => {
    const { store } = current();
    const names = ['Ada', 'Grace', 'Linus'];
    for (const [i, name] of names.entries()) await createUser(store.db, clock, { email: `u${i}@example.com`, name, password: 'correct horse battery staple' });
    const byName = new PreparedQuery((db, params: { name: string; limit: number }) =>
      db.selectFrom('users').select(['name', 'email']).where('name', '=', params.name).where('email', 'like', '%@example.com').limit(params.limit),
    );
    for (const [i, name] of names.entries()) expect(await byName.execute(store.db, { name, limit: 5 })).toEqual([{ name, email: `u${i}@example.com` }]);
    expect(await byName.takeFirst(store.db, { name: 'nobody', limit: 5 })).toBeUndefined();
    expect(await byName.execute(store.db, { name: 'Ada', limit: 0 })).toEqual([]);
  });

  it('refuse a value used anywhere but as a bound parameter', async () => {
    const { store } = current();
    const spliced = new PreparedQuery((db, params: { column: string }) => db.selectFrom('users').select(sql.ref(params.column).as('x')));
    await expect(spliced.execute(store.db, { column: 'name' })).rejects.toThrow(/not bound as a parameter/);
  });

  it('keep org queries inside their org, for whichever org runs them', async () => {
    const { store } = current();
    const owner = await createUser(store.db, clock, { email: 'o@example.com', name: 'Owner', password: 'correct horse battery staple' });
    const orgs = [
      await createOrg(store.db, clock, { name: 'One', ownerUserId: owner.id }),
      await createOrg(store.db, clock, { name: 'Two', ownerUserId: owner.id }),
    ];
    const roles = preparedOrgQuery((scope, params: { userId: string }) =>
      scope.selectFrom('memberships').select(['org_id', 'role']).where('user_id', '=', params.userId),
    );
    for (const org of orgs) {
      const scope = new OrgScope(store.db, org.id, { userId: owner.id, role: 'owner' }, clock);
      expect(await scope.run(roles, { userId: owner.id })).toEqual([{ org_id: org.id, role: 'owner' }]);
    }
  });
});
