import { hashToken } from "@/lib/crypto";
import { invalid, notFound } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import { listRecords } from "@/lib/sync/reads";

export const dynamic = "force-dynamic";

function date(value: string | null, field: string): Date | null {
  if (value === null) return null;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw invalid(field, "must be an ISO-8601 date-time");
  return parsed;
}

function flag(value: string | null, field: string): boolean {
  if (value === null || value === "false") return false;
  if (value === "true") return true;
  throw invalid(field, "must be true or false");
}

/**
 * GET /api/v1/{category}/{object}?access_token=…&cursor=&limit=&updated_at_min=&updated_at_max=&include_deleted=&force_fetch=
 * One object of the connection the access token belongs to, e.g. /api/v1/commerce/orders.
 */
export const GET = apiRoute<{ category: string; object: string }>(async ({ params, url, scope, engine }) => {
  const categories = new Set<string>(PLATFORM_CATALOG.map((p) => p.category));
  if (!categories.has(params.category)) throw notFound(`category "${params.category}" (there are ${[...categories].join(", ")})`);
  const token = url.searchParams.get("access_token");
  if (!token) throw invalid("access_token", "is required: the connection's access token from the public token exchange");
  const connection = await engine.db.connection.findFirst({ where: { accessTokenHash: hashToken(token), organizationId: scope.organizationId, environment: scope.environment, deletedAt: null } });
  if (!connection) throw notFound("connection for this access token");
  const platform = PLATFORM_CATALOG.find((p) => p.key === connection.platform);
  if (platform?.category !== params.category) throw notFound(`${params.category} data for this connection (it is a ${platform?.category ?? "other"} connection)`);
  const limit = url.searchParams.has("limit") ? Number(url.searchParams.get("limit")) : undefined;
  if (limit !== undefined && !Number.isInteger(limit)) throw invalid("limit", "must be a whole number from 1 to 500");
  const page = await listRecords(engine, {
    organizationId: scope.organizationId,
    environment: scope.environment,
    connectionId: connection.id,
    object: params.object,
    cursor: url.searchParams.get("cursor"),
    limit,
    updatedAtMin: date(url.searchParams.get("updated_at_min"), "updated_at_min"),
    updatedAtMax: date(url.searchParams.get("updated_at_max"), "updated_at_max"),
    includeDeleted: flag(url.searchParams.get("include_deleted"), "include_deleted"),
    forceFetch: flag(url.searchParams.get("force_fetch"), "force_fetch"),
  });
  return { [params.object]: page.records, next_cursor: page.next_cursor, force_fetched: page.force_fetched };
});
