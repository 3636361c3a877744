import { patchConfiguration, readConfiguration } from "@/lib/api/configuration";
import { apiRoute } from "@/lib/api/handler";
import { getConfiguration, updateConfiguration } from "@/lib/api/operations/configuration";
import { scopedConnection } from "@/lib/api/scope";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getConfiguration, async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  return readConfiguration(engine.db, connection);
});

export const PATCH = apiRoute(updateConfiguration, async ({ body, params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  return patchConfiguration(engine.db, connection, body);
});
