// The tenant-scoped data-access layer. Every query made for a signed-in member or an API key goes
// through tenantDb(scope): it adds organization_id (and, for environment-owned rows, environment) to
// the filter of every read, update and delete, and to the data of every create, whatever the caller
// passed. A caller cannot name another organization's row: it simply does not exist for them.
//
// Relation reads (`include`) follow foreign keys from rows already in scope, so they stay in scope.
import type { Db } from "./client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";

export interface TenantScope {
  organizationId: string;
  environment: EnvironmentKind;
}

/** Models whose rows belong to one organization and one of its environments. */
const ENVIRONMENT_MODELS = new Set([
  "PlatformConfig",
  "SyncConfiguration",
  "SyncBatch",
  "Connection",
  "LinkSession",
  "SyncRun",
  "Checkpoint",
  "Record",
  "RecordCount",
  "Event",
  "WebhookEndpoint",
  "Delivery",
  "DeliveryAttempt",
  "SyncJob",
  "SyncJobRun",
  "CronTrigger",
  "ApiKey",
]);

/** Models whose rows belong to one organization, across its environments. */
const ORGANIZATION_MODELS = new Set(["Member", "Environment"]);

const FILTERED = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
]);
const CREATES = new Set(["create", "createMany", "createManyAndReturn", "upsert"]);

type Where = { AND?: object | object[] } & Record<string, unknown>;
type Args = { where?: Where; data?: object | object[]; create?: object };

export class TenantScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TenantScopeError";
  }
}

export function scopeColumns(model: string, scope: TenantScope): Record<string, string> {
  if (ENVIRONMENT_MODELS.has(model)) return { organizationId: scope.organizationId, environment: scope.environment };
  if (ORGANIZATION_MODELS.has(model)) return { organizationId: scope.organizationId };
  return {};
}

export function tenantDb(db: Db, scope: TenantScope) {
  return db.$extends({
    name: "tenant-scope",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const scoped = scopeArgs(model, operation, (args ?? {}) as Args, scope);
          return query(scoped as typeof args);
        },
      },
    },
  });
}

export type TenantDb = ReturnType<typeof tenantDb>;

function scopeArgs(model: string, operation: string, args: Args, scope: TenantScope): Args {
  if (model === "User") {
    throw new TenantScopeError("Users are shared between organizations: read them through members");
  }
  if (model === "Organization") {
    if (operation.startsWith("create") || operation.startsWith("delete") || operation === "upsert") {
      throw new TenantScopeError(`Organization.${operation} is not allowed through a tenant scope`);
    }
    return { ...args, where: within(args.where, { id: scope.organizationId }) };
  }
  const columns = scopeColumns(model, scope);
  if (Object.keys(columns).length === 0) {
    throw new TenantScopeError(`${model} has no tenant scope`);
  }
  const next: Args = { ...args };
  if (FILTERED.has(operation)) next.where = within(args.where, columns);
  if (CREATES.has(operation)) {
    if (operation === "upsert") next.create = { ...args.create, ...columns };
    else if (Array.isArray(args.data)) next.data = args.data.map((row) => ({ ...row, ...columns }));
    else next.data = { ...args.data, ...columns };
  }
  return next;
}

/**
 * The caller's filter AND the scope: a caller naming another organization gets nothing rather than
 * having its filter silently replaced. Unique-field filters stay at the top level, as findUnique needs.
 */
function within(where: Where | undefined, columns: Record<string, string>): Where {
  const and = where?.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND];
  return { ...where, AND: [...and, columns] };
}
