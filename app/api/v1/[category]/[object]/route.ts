import { notFound } from "@/lib/api/errors";
import { connectionForToken } from "@/lib/api/access-token";
import { apiRoute } from "@/lib/api/handler";
import { readObject } from "@/lib/api/operations/data";
import { createRecord } from "@/lib/api/operations/writes";
import { serveWrite } from "@/lib/api/writes";
import { withArticle } from "@/lib/format";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import { listRecords } from "@/lib/sync/reads";

export const dynamic = "force-dynamic";

export const GET = apiRoute(readObject, async ({ params, query, scope, engine }) => {
  const categories = new Set<string>(PLATFORM_CATALOG.map((p) => p.category));
  if (!categories.has(params.category)) throw notFound(`category "${params.category}" (there are ${[...categories].join(", ")})`);
  const connection = await connectionForToken(engine, scope, query.access_token);
  const platform = PLATFORM_CATALOG.find((p) => p.key === connection.platform);
  if (platform?.category !== params.category)
    throw notFound(`${params.category} data for this connection (it is ${withArticle(platform?.category ?? "other")} connection)`);
  const page = await listRecords(engine, {
    organizationId: scope.organizationId,
    environment: scope.environment,
    connectionId: connection.id,
    object: params.object,
    cursor: query.cursor ?? null,
    limit: query.limit,
    updatedAtMin: query.updated_at_min ?? null,
    updatedAtMax: query.updated_at_max ?? null,
    includeDeleted: query.include_deleted,
    forceFetch: query.force_fetch,
    platformData: query.expand === "platform_data",
  });
  return { [params.object]: page.records, next_cursor: page.next_cursor, force_fetched: page.force_fetched };
});

export const POST = apiRoute(createRecord, (context) => serveWrite(context, "create"));
