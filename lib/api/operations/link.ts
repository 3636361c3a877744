// Link: sessions the team's backend creates for its end users, and the public token exchange.
import { z } from "zod";
import { idPattern } from "@/lib/db/ids";
import { defineOperation } from "../operation";

/** A few ids and names: Link's bodies never come near a megabyte. */
const LINK_BODY_LIMIT = 16 * 1024;

export const createLinkSession = defineOperation({
  operationId: "createLinkSession",
  method: "POST",
  path: "/link/sessions",
  tag: "Link",
  summary: "Create a link session: a token (30 minutes) your frontend passes to Tributary.open()",
  description:
    "With `connection_id`, the session re-links that connection (new credentials, same id, access token and data). `platforms` limits what Link offers; absent, every platform enabled in this environment is offered.",
  body: z
    .object({
      platforms: z.array(z.string().min(1)).max(20).optional().meta({ description: 'Platform keys Link offers, e.g. ["shopify"]' }),
      end_user_id: z.string().min(1).max(255).optional().meta({ description: "Your reference for the end user; it is on the connection and its events" }),
      connection_id: z.string().regex(idPattern("conn"), "must be a connection id (conn_…)").optional().meta({ description: "Re-link this connection" }),
    })
    .strict(),
  bodyLimit: LINK_BODY_LIMIT,
  responses: { 201: "`{ link_token, expires_at, link_url }`", 400: "A bad field, named; a platform that is not enabled" },
  // link_url carries the token.
  secretFields: ["link_token", "link_url"],
});

export const exchangePublicToken = defineOperation({
  operationId: "exchangePublicToken",
  method: "POST",
  path: "/item/public_token/exchange",
  tag: "Link",
  summary: "Exchange the public token from Link's onSuccess (single use, 10 minutes) for the connection's access token",
  description: "A re-link answers `access_token: null`: the connection keeps the access token you already have.",
  body: z.object({ public_token: z.string({ message: "is required: the public token Link gave onSuccess" }).min(1) }).strict(),
  bodyLimit: LINK_BODY_LIMIT,
  responses: { 200: "`{ access_token, connection_id, platform, is_relink }`", 400: "INVALID_PUBLIC_TOKEN: unknown, used, expired or of another organization" },
  secretFields: ["access_token"],
});
