import { apiRoute } from "@/lib/api/handler";
import { createLinkSession } from "@/lib/api/operations/link";
import { createLinkSession as createSession } from "@/lib/link/sessions";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createLinkSession, async ({ body, scope, engine }) => {
  const session = await createSession(engine, scope, { platforms: body.platforms, endUserId: body.end_user_id, connectionId: body.connection_id });
  return Response.json({ link_token: session.token, expires_at: session.expiresAt.toISOString(), link_url: session.linkUrl }, { status: 201 });
});
