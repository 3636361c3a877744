export { createDb, getDb, type Db } from "./client";
export { tenantDb, scopeColumns, TenantScopeError, type TenantDb, type TenantScope } from "./tenant";
export { newId, ulid, ID_PREFIXES } from "./ids";
export { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded";
