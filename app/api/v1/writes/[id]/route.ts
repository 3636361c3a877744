import { notFound } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/handler";
import { getWrite } from "@/lib/api/operations/writes";
import { findWrite, writeView } from "@/lib/sync/async-writes";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getWrite, async ({ params, scope, engine }) => {
  const write = await findWrite(engine.db, scope, params.id);
  if (!write) throw notFound("write");
  return { write: writeView(write) };
});
