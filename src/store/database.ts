/**
 * The whole schema as Kysely sees it. Empty here on purpose: the store is a toolkit that knows no
 * module, and src/app/database.ts adds every module's tables to it (TypeScript declaration merging).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by src/app/database.ts
export interface Database {}
