// OAuth 2 token grants at a platform's token endpoint (RFC 6749 section 6), shared by every OAuth
// connector: a refresh grant before the access token expires, and the authorization-code exchange the
// Link flow completes with. Errors are classified like every connector error: invalid_grant means the
// end user revoked access (auth_revoked), 5xx and network failures are transient.
import { ConnectorError, type Connector, type Credentials } from "./types";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

type OAuthCredentials = Extract<Credentials, { kind: "oauth" }>;

export async function refreshAccessToken(
  connector: Connector,
  tokenUrl: string,
  client: OAuthClient,
  credentials: OAuthCredentials,
  options: { fetch?: typeof fetch; now?: number } = {},
): Promise<OAuthCredentials> {
  if (!credentials.refreshToken) throw new ConnectorError("auth_revoked", "The access token expired and the platform gave no refresh token");
  return tokenGrant(connector, tokenUrl, client, { grant_type: "refresh_token", refresh_token: credentials.refreshToken }, credentials, options);
}

export async function exchangeAuthorizationCode(
  connector: Connector,
  tokenUrl: string,
  client: OAuthClient,
  input: { code: string; redirectUri: string },
  options: { fetch?: typeof fetch; now?: number } = {},
): Promise<OAuthCredentials> {
  return tokenGrant(connector, tokenUrl, client, { grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri }, null, options);
}

async function tokenGrant(
  connector: Connector,
  tokenUrl: string,
  client: OAuthClient,
  grant: Record<string, string>,
  previous: OAuthCredentials | null,
  options: { fetch?: typeof fetch; now?: number },
): Promise<OAuthCredentials> {
  const form = new URLSearchParams(grant);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (connector.oauthClientAuth === "basic") {
    headers.authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
  } else {
    form.set("client_id", client.clientId);
    form.set("client_secret", client.clientSecret);
  }
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(tokenUrl, { method: "POST", headers, body: form, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new ConnectorError("transient", `Token request failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.status >= 500 || response.status === 429)
    throw new ConnectorError(response.status === 429 ? "rate_limited" : "transient", `Token endpoint answered ${response.status}`, { status: response.status });
  if (!response.ok || !body || typeof body.access_token !== "string") {
    const code = typeof body?.error === "string" ? body.error : `status ${response.status}`;
    // invalid_grant: the refresh token (or code) was revoked or expired; the end user must re-link.
    // invalid_client: the team's app credentials are wrong; re-linking will not help until they are fixed.
    throw new ConnectorError(code === "invalid_grant" ? "auth_revoked" : "permanent", `The platform refused the token request (${code})`, {
      status: response.status,
    });
  }
  const now = options.now ?? Date.now();
  const expiresIn = typeof body.expires_in === "number" ? body.expires_in : null;
  const scope = typeof body.scope === "string" ? body.scope.split(/[ ,]+/).filter(Boolean) : (previous?.scopes ?? []);
  return {
    kind: "oauth",
    accessToken: body.access_token,
    // Platforms that rotate refresh tokens send a new one; the others keep the old one valid.
    refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : (previous?.refreshToken ?? null),
    expiresAt: expiresIn === null ? null : now + expiresIn * 1000,
    scopes: scope,
  };
}
