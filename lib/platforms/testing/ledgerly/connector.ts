// The Ledgerly connector: GET /v1/{object}?after=&limit=&updated_since=&created_after=&created_before=
// answers { data, next_after }, with bearer tokens.
import { findObject } from "../../definition";
import { requestJson } from "../../http";
import { ConnectorError, declaredFilters, fromDefinition, type Connector, type ConnectorContext } from "../../types";
import { ledgerlyDefinition } from "./definition";

type Json = Record<string, unknown>;

function authHeaders(context: ConnectorContext): Record<string, string> {
  if (context.credentials.kind !== "oauth") throw new ConnectorError("permanent", "Ledgerly needs an OAuth access token");
  return { Authorization: `Bearer ${context.credentials.accessToken}` };
}

export const ledgerlyConnector: Connector = {
  ...fromDefinition(ledgerlyDefinition),
  incrementalOverlapMs: 5_000,
  oauthClientAuth: "body",
  endpoints(workspace, sandboxUrl) {
    const base = sandboxUrl ? `${sandboxUrl}/ledgerly/${workspace}` : `https://${workspace}.ledgerly.test`;
    return { apiBaseUrl: base, tokenUrl: `${base}/oauth/token`, authorizeUrl: `${base}/oauth/authorize` };
  },
  proxy: { path: "/v1", headers: authHeaders },
  async list(context, request) {
    const spec = findObject(ledgerlyDefinition, request.object);
    if (!spec) throw new ConnectorError("permanent", `Ledgerly has no object "${request.object}"`);
    const url = new URL(`${context.baseUrl}/v1/${request.object}`);
    url.searchParams.set("limit", String(Math.min(100, request.pageSize ?? 100)));
    if (request.cursor) url.searchParams.set("after", request.cursor);
    if (request.updatedSince) url.searchParams.set("updated_since", request.updatedSince.toISOString());
    if (request.window?.start) url.searchParams.set("created_after", request.window.start.toISOString());
    if (request.window?.end) url.searchParams.set("created_before", request.window.end.toISOString());
    for (const [name, value] of Object.entries(declaredFilters(ledgerlyDefinition, request))) url.searchParams.set(name, value);
    const response = await requestJson<{ data: Json[]; next_after: string | null }>(context, url.toString(), { headers: authHeaders(context) });
    if (response.status !== 200) throw new ConnectorError("permanent", `Ledgerly answered ${response.status}`, { status: response.status });
    return {
      records: response.body.data.map((item) => ({ externalId: String(item.id), updatedAt: new Date(String(item.updated_at)), data: item })),
      nextCursor: response.body.next_after,
      deleted: [],
      requests: 1,
    };
  },
};
