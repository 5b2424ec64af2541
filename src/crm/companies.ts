import type { CompanyPersonView, CompanyView } from '../../core/api/crm.js';
import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';

const notFound = () => new DomainError('company_not_found', 'Company not found', 404);

/** `https://www.Example.com/about` and `example.com` name one domain. */
export function normalDomain(input: string): string {
  const bare = input
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .split(/[/?#]/)[0]!
    .replace(/^www\./, '');
  // Letters, digits, dots and hyphens only (internationalized names too): no LIKE wildcard can slip in.
  if (!/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.[\p{L}\p{N}-]{2,}$/u.test(bare))
    throw new DomainError('invalid_domain', `"${input}" is not a web domain such as example.com`, 422);
  return bare;
}

async function present(
  scope: OrgScope,
  rows: { id: string; name: string; domain: string | null; created_at: string; updated_at: string }[],
): Promise<CompanyView[]> {
  if (rows.length === 0) return [];
  const counts = await scope
    .selectFrom('contacts')
    .select((eb) => ['company_id', eb.fn.countAll<number>().as('n')])
    .where(
      'company_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy('company_id')
    .execute();
  const count = new Map(counts.map((c) => [c.company_id, Number(c.n)]));
  return rows.map((r) => ({ id: r.id, name: r.name, domain: r.domain, contactCount: count.get(r.id) ?? 0, createdAt: r.created_at, updatedAt: r.updated_at }));
}

export async function listCompanies(
  scope: OrgScope,
  options: { before?: string | undefined; limit: number },
): Promise<{ companies: CompanyView[]; nextCursor: string | null }> {
  let query = scope.selectFrom('companies').selectAll();
  if (options.before) {
    const [sortName, id] = JSON.parse(Buffer.from(options.before, 'base64url').toString('utf8')) as [string, string];
    query = query.where((eb) => eb.or([eb('sort_name', '>', sortName), eb.and([eb('sort_name', '=', sortName), eb('id', '>', id)])]));
  }
  const rows = await query.orderBy('sort_name').orderBy('id').limit(options.limit).execute();
  const last = rows.at(-1);
  const nextCursor = rows.length === options.limit && last ? Buffer.from(JSON.stringify([last.sort_name, last.id])).toString('base64url') : null;
  return { companies: await present(scope, rows), nextCursor };
}

export async function companyView(scope: OrgScope, companyId: string): Promise<CompanyView> {
  const row = await scope.selectFrom('companies').selectAll().where('id', '=', companyId).executeTakeFirst();
  if (!row) throw notFound();
  return (await present(scope, [row]))[0]!;
}

/** The company's people, by name. */
export async function companyPeople(scope: OrgScope, companyId: string): Promise<CompanyPersonView[]> {
  await companyView(scope, companyId);
  const rows = await scope
    .selectFrom('contacts')
    .select(['id', 'display_name', 'email', 'stage', 'score'])
    .where('company_id', '=', companyId)
    .orderBy('sort_name')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email, stage: r.stage, score: r.score }));
}

/** The company whose domain is the email's domain, if the org has one. */
export async function companyOfEmail(scope: OrgScope, email: string): Promise<string | null> {
  const domain = email.trim().toLowerCase().split('@')[1];
  if (!domain) return null;
  return (await scope.selectFrom('companies').select('id').where('domain', '=', domain).executeTakeFirst())?.id ?? null;
}

const domainTaken = (domain: string) => new DomainError('company_domain_taken', `Another company already has the domain ${domain}`, 409, { domain });

/** A company; with a domain, contacts whose email has that domain and no company join it. */
export async function createCompany(scope: OrgScope, input: { name: string; domain?: string | null | undefined }): Promise<CompanyView> {
  const domain = input.domain ? normalDomain(input.domain) : null;
  const id = newId();
  try {
    return await scope.transaction(async (tx) => {
      if (domain && (await tx.selectFrom('companies').select('id').where('domain', '=', domain).executeTakeFirst())) throw domainTaken(domain);
      const now = tx.now();
      await tx.insertInto('companies', { id, name: input.name, sort_name: input.name.toLowerCase(), domain, created_at: now, updated_at: now });
      if (domain) await tx.updateTable('contacts').set({ company_id: id }).where('company_id', 'is', null).where('email_key', 'like', `%@${domain}`).execute();
      await tx.audit('company.created', { companyId: id, name: input.name, domain });
      return companyView(tx, id);
    });
  } catch (error) {
    if (!(error instanceof DomainError) && domain && (await scope.selectFrom('companies').select('id').where('domain', '=', domain).executeTakeFirst()))
      throw domainTaken(domain);
    throw error;
  }
}

export async function editCompany(
  scope: OrgScope,
  companyId: string,
  input: { name?: string | undefined; domain?: string | null | undefined },
): Promise<CompanyView> {
  const domain = input.domain === undefined ? undefined : input.domain === null ? null : normalDomain(input.domain);
  return scope.transaction(async (tx) => {
    await companyView(tx, companyId);
    if (domain && (await tx.selectFrom('companies').select('id').where('domain', '=', domain).where('id', '<>', companyId).executeTakeFirst()))
      throw domainTaken(domain);
    await tx
      .updateTable('companies')
      .set({
        ...(input.name !== undefined ? { name: input.name, sort_name: input.name.toLowerCase() } : {}),
        ...(domain !== undefined ? { domain } : {}),
        updated_at: tx.now(),
      })
      .where('id', '=', companyId)
      .execute();
    await tx.audit('company.updated', { companyId });
    return companyView(tx, companyId);
  });
}

/** Its contacts stay, without a company. */
export async function deleteCompany(scope: OrgScope, companyId: string): Promise<void> {
  await scope.transaction(async (tx) => {
    await companyView(tx, companyId);
    await tx.deleteFrom('companies').where('id', '=', companyId).execute();
    await tx.audit('company.deleted', { companyId });
  });
}
