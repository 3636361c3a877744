// Which Xero organisations (tenants) a sign-in connected. Xero's consent page lets the user tick
// several organisations; after the token exchange, GET /connections (Bearer) lists every tenant the
// user has connected to the app, from this sign-in and earlier ones. Xero's advice is to keep the
// connections whose authEventId is the access token's authentication_event_id claim: those are
// this sign-in's (developer.xero.com › OAuth 2.0 › Auth flow, "Check the tenants you're authorized
// to access"; XeroAPI/xero-node XeroClient.updateTenants reads the same endpoint).
//
// For connector.ts:
//   oauthAccount: xeroOAuthAccount
//     → { choices: [{ id: tenantId, name: tenantName }, …] } (one or more), or null when none;
//       Link connects a single tenant at once (accountName = its name) and asks the end user to
//       pick among several.
//   connectionsUrl(apiBaseUrl): the connections endpoint next to the Accounting API's base,
//     https://api.xero.com/api.xro/2.0 → https://api.xero.com/connections, and the sandbox's
//     ${sandboxUrl}/xero/api.xro/2.0 → ${sandboxUrl}/xero/connections.
import { requestJson } from "../http";
import { ConnectorError, type ConnectorContext, type OAuthAccountChoice, type OAuthAccountResult, type OAuthCallback } from "../types";

/** One entry of GET /connections. */
export interface XeroConnection {
  id: string;
  authEventId?: string;
  tenantId: string;
  tenantType: string;
  tenantName: string | null;
  createdDateUtc?: string;
  updatedDateUtc?: string;
}

/** The connections endpoint for an Accounting API base (with or without /api.xro/2.0). */
export function connectionsUrl(apiBaseUrl: string): string {
  return `${apiBaseUrl.replace(/\/+$/, "").replace(/\/api\.xro\/2\.0$/, "")}/connections`;
}

/**
 * A JWT's claims, unverified: the token came straight from Xero's token endpoint over TLS, and Xero
 * checks its signature on every call; null when the token is not a JWT.
 */
export function accessTokenClaims(accessToken: string): Record<string, unknown> | null {
  const payload = accessToken.split(".")[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return claims && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The tenants the connections list, this sign-in's only when the token names its sign-in. Organisations only: Xero Practice Manager and others are not Accounting API tenants. */
export async function listTenants(context: ConnectorContext): Promise<OAuthAccountChoice[]> {
  if (context.credentials.kind !== "oauth") throw new ConnectorError("permanent", "Xero connects by OAuth only");
  const { status, body } = await requestJson<unknown>(context, connectionsUrl(context.baseUrl), {
    headers: { authorization: `Bearer ${context.credentials.accessToken}`, accept: "application/json" },
  });
  if (status !== 200 || !Array.isArray(body)) throw new ConnectorError("permanent", `Xero's connections answered ${status}`, { status });
  const authEventId = accessTokenClaims(context.credentials.accessToken)?.authentication_event_id;
  const seen = new Set<string>();
  const tenants: OAuthAccountChoice[] = [];
  for (const connection of body as XeroConnection[]) {
    if (!connection || typeof connection.tenantId !== "string" || !connection.tenantId) continue;
    if (connection.tenantType !== "ORGANISATION") continue;
    if (typeof authEventId === "string" && connection.authEventId !== authEventId) continue;
    if (seen.has(connection.tenantId)) continue;
    seen.add(connection.tenantId);
    tenants.push({ id: connection.tenantId, name: connection.tenantName?.trim() || connection.tenantId });
  }
  return tenants;
}

/** Connector.oauthAccount for Xero: this sign-in's organisations, named, for Link to connect or offer. */
export async function xeroOAuthAccount(callback: OAuthCallback): Promise<OAuthAccountResult> {
  const tenants = await listTenants(callback.context);
  return tenants.length ? { choices: tenants } : null;
}
