// The write routes' handlers (POST /{category}/{object}, PATCH and DELETE /{category}/{object}/{id}): the
// body checked against the object's create or update shape before anything else, then the connection
// its access token names, then the write (lib/sync/writes.ts). Idempotency-Key is the route frame's.
import { getConnector } from "@/lib/platforms";
import { PLATFORM_CATALOG } from "@/lib/platforms/catalog";
import type { WriteOperation } from "@/lib/platforms/types";
import { writeShapes, UNIFIED_WRITES, type WriteShapes } from "@/lib/unified";
import { checkDelete, checkWrite, deleteRecord, writeRecord } from "@/lib/sync/writes";
import { queueWrite, writeView, type QueueWriteInput } from "@/lib/sync/async-writes";
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
  query: { access_token: string; response_mode: "sync" | "async" };
  body: Record<string, unknown>;
  scope: ApiScope;
  engine: SyncEngine;
}

const writable = (keep: (shapes: WriteShapes) => boolean = () => true) =>
  Object.entries(UNIFIED_WRITES)
    .flatMap(([category, objects]) =>
      Object.entries(objects)
        .filter(([, shapes]) => keep(shapes))
        .map(([object]) => `${category}/${object}`),
    )
    .join(", ");
const deletable = () => writable((shapes) => shapes.deletable === true);

export async function serveWrite(
  { request, params, query, body, scope, engine }: WriteContext,
  operation: Exclude<WriteOperation, "delete">,
): Promise<Response> {
  const shapes = writeShapes(params.category, params.object);
  if (!shapes) throw notFound(`writes of ${params.category}/${params.object} (writable: ${writable()})`);
  const shape = shapes[operation];
  if (!shape) throw notFound(`${operation}s of ${params.category}/${params.object}: it does not change once written`);
  const parsed = shape.safeParse(body);
  if (!parsed.success) throw firstProblem(parsed.error, "body");
  const connection = await writableConnection(engine, scope, query.access_token, params, operation);
  const input = {
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
  };
  if (query.response_mode === "async") {
    await checkWrite(engine, input);
    return queued(engine, { ...input, connectionId: connection.id, recordId: params.id ?? null });
  }
  const { record } = await writeRecord(engine, input);
  return Response.json({ record }, { status: operation === "create" ? 201 : 200 });
}

/** 202 with the queued write, and where to follow it. */
async function queued(engine: SyncEngine, input: QueueWriteInput): Promise<Response> {
  const write = await queueWrite(engine.db, input);
  return Response.json({ write: writeView(write) }, { status: 202, headers: { Location: `/api/v1/writes/${write.id}` } });
}

/** DELETE /{category}/{object}/{id}: deleted on the platform, then marked deleted here; a second delete answers the same. */
export async function serveDelete({ request, params, query, scope, engine }: Omit<WriteContext, "body">): Promise<Response> {
  const shapes = writeShapes(params.category, params.object);
  if (!shapes?.deletable) throw notFound(`deletes of ${params.category}/${params.object} (deletable: ${deletable()})`);
  const connection = await writableConnection(engine, scope, query.access_token, params, "delete");
  const input = {
    organizationId: scope.organizationId,
    environment: scope.environment,
    connection,
    object: params.object,
    id: params.id ?? "",
    idempotencyKey: readIdempotencyKey(request),
  };
  if (query.response_mode === "async") {
    await checkDelete(engine, input);
    return queued(engine, { ...input, connectionId: connection.id, operation: "delete", recordId: input.id, data: {} });
  }
  const { record } = await deleteRecord(engine, input);
  return Response.json({ record });
}

/** The access token's connection, when it can take this operation on this object now. */
async function writableConnection(engine: SyncEngine, scope: ApiScope, accessToken: string, params: WriteContext["params"], operation: WriteOperation) {
  const connection = await connectionForToken(engine, scope, accessToken);
  const platform = PLATFORM_CATALOG.find((p) => p.key === connection.platform);
  if (platform?.category !== params.category)
    throw notFound(`${params.category} data for this connection (it is ${withArticle(platform?.category ?? "other")} connection)`);
  assertReachable(connection);
  const connector = getConnector(connection.platform);
  if (!connector.writes?.[params.object]?.includes(operation))
    throw invalid("object", `${connector.definition.name} does not ${operation} ${params.object} through Tributary`);
  return connection;
}
