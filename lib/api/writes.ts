// The write routes' one handler (POST /{category}/{object}, PATCH /{category}/{object}/{id}): the body
// checked against the object's create or update shape before anything else, then the connection its
// access token names, then the write (lib/sync/writes.ts). Idempotency-Key is the route frame's.
import { z } from "zod";
import { getConnector } from "@/lib/platforms";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import type { WriteOperation } from "@/lib/platforms/types";
import { writeShapes, UNIFIED_WRITES } from "@/lib/unified";
import { writeRecord } from "@/lib/sync/writes";
import { withArticle } from "@/lib/format";
import type { SyncEngine } from "@/lib/sync/engine";
import { assertReachable, connectionForToken } from "./access-token";
import { firstProblem } from "./body";
import { invalid, notFound } from "./errors";
import { readIdempotencyKey } from "./idempotency";
import type { ApiScope } from "./keys";

interface WriteContext {
  request: Request;
  params: { category: string; object: string; id?: string };
  query: { access_token: string };
  body: Record<string, unknown>;
  scope: ApiScope;
  engine: SyncEngine;
}

const writable = () =>
  Object.entries(UNIFIED_WRITES)
    .flatMap(([category, objects]) => Object.keys(objects).map((object) => `${category}/${object}`))
    .join(", ");

export async function serveWrite({ request, params, query, body, scope, engine }: WriteContext, operation: WriteOperation): Promise<Response> {
  const shapes = writeShapes(params.category, params.object);
  if (!shapes) throw notFound(`writes of ${params.category}/${params.object} (writable: ${writable()})`);
  const parsed = (shapes[operation] as z.ZodType<Record<string, unknown>>).safeParse(body);
  if (!parsed.success) throw firstProblem(parsed.error, "body");

  const connection = await connectionForToken(engine, scope, query.access_token);
  const platform = PLATFORM_CATALOG.find((p) => p.key === connection.platform);
  if (platform?.category !== params.category)
    throw notFound(`${params.category} data for this connection (it is ${withArticle(platform?.category ?? "other")} connection)`);
  assertReachable(connection);
  const connector = getConnector(connection.platform);
  if (!connector.writes?.[params.object]?.includes(operation))
    throw invalid("object", `${connector.definition.name} does not ${operation} ${params.object} through Tributary`);

  const { record } = await writeRecord(engine, {
    organizationId: scope.organizationId,
    environment: scope.environment,
    connection,
    object: params.object,
    operation,
    id: params.id,
    data: parsed.data,
    references: shapes.references,
    // The platform's own key is made from it, so a retry in the crash window sends the same one.
    idempotencyKey: readIdempotencyKey(request),
  });
  return Response.json({ record }, { status: operation === "create" ? 201 : 200 });
}
