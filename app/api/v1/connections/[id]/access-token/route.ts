import { apiRoute } from "@/lib/api/handler";
import { issueConnectionAccessToken } from "@/lib/api/operations/connections";
import { scopedConnection } from "@/lib/api/scope";
import { issueAccessToken } from "@/lib/sync/connections";

export const dynamic = "force-dynamic";

export const POST = apiRoute(issueConnectionAccessToken, async ({ params, scope, engine }) => {
  const connection = await scopedConnection(engine, scope, params.id);
  return { access_token: await issueAccessToken(engine.db, connection.id), connection_id: connection.id };
});
