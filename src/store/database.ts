/**
 * The whole schema as Kysely sees it. Empty here on purpose: the store is a toolkit that knows no
 * module, and src/app/database.ts adds every module's tables to it (TypeScript declaration merging).
 */
export interface Database {}
