// xero-node pointed at the sandbox, for the tests that judge the Xero emulator by Xero's own SDK
// (client.test.ts, writes.client.test.ts). AccountingApi takes its base path from `basePath`, so the
// client is never initialised (initialize() fetches Xero's OpenID discovery document); the token set
// comes from the emulator's identity service (its browserless grant, /xero/sandbox/grants).
import { XeroClient } from "xero-node";

/** A XeroClient whose token set reaches `tenants`, its AccountingApi sent to the sandbox at `sandboxUrl`. */
export async function xeroNodeClient(sandboxUrl: string, tenants: string[]): Promise<XeroClient> {
  const grant = await fetch(`${sandboxUrl}/xero/sandbox/grants`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenants }),
  });
  if (grant.status !== 201) throw new Error(`The sandbox's grant answered ${grant.status}: ${await grant.text()}`);
  const tokenSet = (await grant.json()) as {
    client_id: string;
    client_secret: string;
    scope: string;
    access_token: string;
    refresh_token: string;
    expires_in: number;
  };
  const client = new XeroClient({
    clientId: tokenSet.client_id,
    clientSecret: tokenSet.client_secret,
    redirectUris: ["https://app.example.com/callback"],
    scopes: tokenSet.scope.split(" "),
  });
  client.accountingApi.basePath = `${sandboxUrl}/xero/api.xro/2.0`;
  client.setTokenSet({ access_token: tokenSet.access_token, refresh_token: tokenSet.refresh_token, token_type: "Bearer", expires_in: tokenSet.expires_in });
  return client;
}

/** What the SDK rejects with, JSON text: { response: { statusCode, headers, body } }. */
export function sdkRejection(error: unknown): { statusCode: number; headers: Record<string, string>; body: unknown } {
  const parsed = (typeof error === "string" ? JSON.parse(error) : error) as {
    response: { statusCode: number; headers: Record<string, string>; body: unknown };
  };
  return parsed.response;
}
