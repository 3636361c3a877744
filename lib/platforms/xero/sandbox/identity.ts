// Xero's identity service as the sandbox serves it, under /xero: the consent page where the user
// ticks one or more organisations (/identity/connect/authorize), the token endpoint with HTTP Basic
// client authentication (/identity/connect/token), revocation (/identity/connect/revocation), and the
// connections of a grant (GET /connections, DELETE /connections/{id}).
// developer.xero.com › OAuth 2.0 › Auth flow; XeroAPI/xero-node src/XeroClient.ts; Xero-OpenAPI xero-identity.yaml.
//
// One consent is one grant over several sandbox accounts: each ticked organisation is an account
// whose id is its tenantId. Access tokens are JWTs that live 30 minutes and carry Xero's claims
// (xero_userid, authentication_event_id, exp…); they are signed with a sandbox key, since a client
// reads their claims but only Xero checks their signature. Refresh tokens rotate: each refresh answers
// a new one, the one just used answers again with the same successor for 30 minutes, and an unused
// one expires after 60 days.
//
// For the data API (lib/platforms/xero/sandbox/platform.ts): `oauth: xeroIdentity`, `credential:
// xeroCredential`, `errors.unauthorized: (reason) => xeroUnauthorized(reason)`; a grant's token is in
// each of its accounts' token maps, so the server's checkCredential(account, …) accepts it for every
// tenant of the grant and refuses it for any other.
//
// Tests get a grant without the browser: POST /xero/sandbox/grants {"tenants": [ids], "scopes"?} →
// the token endpoint's answer (client_id/client_secret included, for refreshes).
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import type { AccessTokenMinter, Grant, SandboxAccount, Token, TokenPolicy } from "@/lib/sandbox/accounts";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { authorizeRoute, isOAuthError, oauthErrorResponse, parseBasic, tokenRoute } from "@/lib/sandbox/oauth";
import type { OAuthContext } from "@/lib/sandbox/platform";

/**
 * The scopes the consent page grants. Apps created on or after 2 March 2026 get Xero's granular
 * scopes only (developer.xero.com/faq/granular-scopes): accounting.transactions(.read) is replaced by
 * accounting.invoices.read, accounting.payments.read and accounting.banktransactions.read (among
 * others); older apps may keep the broad ones until September 2027. The sandbox accepts both.
 */
export const XERO_SCOPES = [
  "offline_access",
  "accounting.transactions.read",
  "accounting.invoices.read",
  "accounting.payments.read",
  "accounting.banktransactions.read",
  "accounting.contacts.read",
  "accounting.settings.read",
];

const MINUTE = 60_000;

/** 30-minute access tokens; refresh tokens rotate with a 30-minute grace, and lapse after 60 unused days. */
export const XERO_TOKEN_POLICY: TokenPolicy = { accessTtlMs: 30 * MINUTE, refreshGraceMs: 30 * MINUTE, refreshTtlMs: 60 * 24 * 60 * MINUTE };

const ISSUER = "https://identity.xero.com";
/** Signs the sandbox's JWTs: per process, since nothing outside the sandbox verifies them. */
const SIGNING_KEY = randomBytes(32);

/** The access token as Xero issues it: a JWT whose claims name the user, the sign-in and the app. */
export const mintXeroAccessToken: AccessTokenMinter = (token) => {
  const issuedAt = Math.floor((token.expiresAt - (token.policy ?? XERO_TOKEN_POLICY).accessTtlMs) / 1000);
  const grant = token.grant;
  const header = { alg: "HS256", kid: "sandbox", typ: "JWT" };
  const claims = {
    nbf: issuedAt,
    exp: Math.floor(token.expiresAt / 1000),
    iss: ISSUER,
    aud: `${ISSUER}/resources`,
    client_id: token.clientId ?? "sandbox",
    sub: grant ? createHash("sha256").update(grant.userId).digest("hex").slice(0, 32) : "",
    auth_time: grant ? Math.floor(grant.createdAt / 1000) : issuedAt,
    xero_userid: grant?.userId,
    global_session_id: grant?.id,
    sid: grant?.id,
    jti: randomBytes(16).toString("hex"),
    authentication_event_id: grant?.authEventId,
    scope: token.scopes,
  };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", SIGNING_KEY).update(unsigned).digest("base64url")}`;
};

/** The credential of a Xero API call: `Authorization: Bearer <access token>`. */
export function xeroCredential(request: SandboxRequest): { kind: "token"; value: string } | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match ? { kind: "token", value: match[1] } : null;
}

/** Xero's date in its problem answers: MM/dd/yyyy HH:mm:ss, UTC. */
const problemDate = (ms: number) => {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
};

/**
 * Xero's 401, a problem document: `{Title:"Unauthorized", Status:401, Detail:"TokenExpired: token
 * expired at …"}` for an expired token, Detail "AuthenticationUnsuccessful" for a missing, unknown
 * or revoked one.
 */
export function xeroUnauthorized(reason: "missing" | "invalid" | "expired" | "revoked", expiredAt?: number): SandboxResponse {
  const detail = reason === "expired" ? `TokenExpired: token expired at ${problemDate(expiredAt ?? Date.now())}` : "AuthenticationUnsuccessful";
  return {
    status: 401,
    headers: { "WWW-Authenticate": `Bearer error="invalid_token"` },
    body: { Type: null, Title: "Unauthorized", Status: 401, Detail: detail, Instance: randomUUID(), Extensions: {} },
  };
}

/** A connection's id: stable for one grant and tenant, like Xero's. */
export function connectionId(grant: Grant, tenantId: string): string {
  const hex = createHash("sha256").update(`${grant.id}/${tenantId}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Xero's connection dates: UTC without a zone, seven fractional digits (2019-12-07T18:46:19.5165400). */
const xeroDate = (ms: number) => `${new Date(ms).toISOString().slice(0, -1)}0000`;

function describeConnections(grant: Grant, accounts: SandboxAccount[]) {
  return accounts.map((account) => ({
    id: connectionId(grant, account.id),
    authEventId: grant.authEventId,
    tenantId: account.id,
    tenantType: "ORGANISATION",
    tenantName: account.name,
    createdDateUtc: xeroDate(grant.connectedAt[account.id] ?? grant.createdAt),
    updatedDateUtc: xeroDate(grant.connectedAt[account.id] ?? grant.createdAt),
  }));
}

function tokenAnswer(token: Token, now: number) {
  return {
    access_token: token.accessToken,
    expires_in: Math.max(0, Math.round((token.expiresAt - now) / 1000)),
    token_type: "Bearer",
    refresh_token: token.refreshToken,
    scope: token.scopes.join(" "),
  };
}

const grantSchema = z
  .object({
    tenants: z.array(z.string().min(1)).min(1).max(50),
    scopes: z.array(z.string()).optional(),
    client_id: z.string().min(1).max(200).optional(),
  })
  .strict();

/** The access token of a request to /connections, checked: its token, or Xero's 401. */
function bearer(request: SandboxRequest, context: OAuthContext): Token | SandboxResponse {
  const credential = xeroCredential(request);
  if (!credential) return xeroUnauthorized("missing");
  const registry = context.server.registry;
  const token = context
    .accounts()
    .find((a) => a.tokens.has(credential.value))
    ?.tokens.get(credential.value);
  if (!token?.grant) return xeroUnauthorized("invalid");
  if (token.revoked) return xeroUnauthorized("revoked");
  if (token.expiresAt <= registry.clock()) return xeroUnauthorized("expired", token.expiresAt);
  return token;
}

/** The OAuth hook of Xero's sandbox platform: the identity service's paths, or null for any other. */
export function xeroIdentity(request: SandboxRequest, context: OAuthContext): SandboxResponse | null {
  const now = context.server.registry.clock();
  if (request.path === "/identity/connect/authorize") {
    return authorizeRoute(request, context, { platformName: "Xero", scopes: XERO_SCOPES, multipleAccounts: { label: "Organisations to connect" } });
  }
  if (request.path === "/identity/connect/token" && request.method === "POST") {
    // Xero authenticates the app with HTTP Basic only (client_secret_basic).
    const client = parseBasic(request.headers.authorization);
    if (!client) return oauthErrorResponse({ error: "invalid_client", description: "Authorization: Basic base64(client_id:client_secret) is required" });
    const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as Record<string, string | undefined>;
    // A refresh token works only for the app it was issued to: another app's credentials are invalid_client.
    const issued =
      body.grant_type === "refresh_token" && body.refresh_token
        ? context
            .accounts()
            .map((a) => a.refreshTokens.get(body.refresh_token!))
            .find(Boolean)
        : undefined;
    if (issued?.clientSecret !== undefined && issued.clientSecret !== client.password)
      return oauthErrorResponse({ error: "invalid_client", description: "The client credentials are not those of the app the refresh token was issued to" });
    const grant = tokenRoute({ ...request, body: { ...body, client_id: undefined, client_secret: undefined } }, context, null, {
      policy: XERO_TOKEN_POLICY,
      mint: mintXeroAccessToken,
    });
    if (isOAuthError(grant)) return oauthErrorResponse(grant);
    return json(200, tokenAnswer(grant.token, now));
  }
  if (request.path === "/identity/connect/revocation" && request.method === "POST") {
    if (!parseBasic(request.headers.authorization))
      return oauthErrorResponse({ error: "invalid_client", description: "Authorization: Basic base64(client_id:client_secret) is required" });
    const body = (request.body ?? {}) as { token?: string };
    context.server.revoke(context.accounts(), body.token);
    return { status: 200 };
  }
  if (request.path === "/connections" && request.method === "GET") {
    const token = bearer(request, context);
    if (!("accessToken" in token)) return token;
    const grant = token.grant!;
    const authEventId = request.query.get("authEventId");
    const accounts = context.server.registry.grantAccounts(grant).filter((a) => !a.closed);
    return json(200, authEventId && authEventId !== grant.authEventId ? [] : describeConnections(grant, accounts));
  }
  const disconnect = /^\/connections\/([^/]+)$/.exec(request.path);
  if (disconnect && request.method === "DELETE") {
    const token = bearer(request, context);
    if (!("accessToken" in token)) return token;
    const grant = token.grant!;
    const account = context.server.registry.grantAccounts(grant).find((a) => connectionId(grant, a.id) === disconnect[1]);
    if (!account) return json(404, { Type: null, Title: "NotFound", Status: 404, Detail: "Resource not found", Instance: randomUUID(), Extensions: {} });
    context.server.registry.disconnect(account, grant);
    return { status: 204 };
  }
  if (request.path === "/sandbox/grants" && request.method === "POST") {
    const parsed = grantSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join(".") || "body";
      return json(400, { error: `${field}: ${issue.message}`, field });
    }
    const accounts: SandboxAccount[] = [];
    for (const [index, id] of parsed.data.tenants.entries()) {
      const account = context.account(id);
      if (!account) return json(400, { error: `tenants.${index}: no Xero sandbox account "${id}"`, field: `tenants.${index}` });
      accounts.push(account);
    }
    const clientId = parsed.data.client_id ?? "tributary-sandbox";
    const clientSecret = `xero_app_secret_${randomBytes(18).toString("base64url")}`;
    const token = context.server.registry.issueToken(accounts, parsed.data.scopes ?? XERO_SCOPES, clientSecret, {
      policy: XERO_TOKEN_POLICY,
      mint: mintXeroAccessToken,
      clientId,
    });
    return json(201, { ...tokenAnswer(token, now), client_id: clientId, client_secret: clientSecret, auth_event_id: token.grant!.authEventId });
  }
  return null;
}
