// Does a platform's folder agree with itself? Its definition, connector and emulator describe one
// platform three times over (what objects exist, which filters and windows they take, what its webhooks
// name), and nothing but a test keeps them in step. `conformanceProblems` lists every disagreement, as
// sentences; registry.test.ts runs it on each registered platform, and the Ledgerly tests on a platform
// added the way the README says.
import { startSandboxServer } from "@/lib/sandbox/server";
import { ConnectorError, type Connector, type ConnectorContext, type ListRequest, type Platform } from "./types";

/** The sandbox account's size: small enough to be quick, large enough that every object has records. */
const ACCOUNT_SIZE = 400;

export function definitionProblems({ definition, connector, sandbox }: Platform): string[] {
  const problems: string[] = [];
  const keys = definition.objects.map((object) => object.key);
  if (connector.key !== definition.key || connector.definition !== definition)
    problems.push(`the connector is not built from the "${definition.key}" definition (fromDefinition)`);
  if (sandbox.key !== definition.key) problems.push(`the emulator's key is "${sandbox.key}", the definition's "${definition.key}"`);
  if (sandbox.name !== definition.name) problems.push(`the emulator calls the platform "${sandbox.name}", the definition "${definition.name}"`);
  // The emulator may accept more than Tributary uses (Zendesk's API tokens), never less.
  if (definition.auth === "oauth2_or_api_key" && !sandbox.acceptsApiKeys)
    problems.push("the definition says the platform takes API keys but the emulator refuses them");
  if ((definition.link.accountField === null) !== Boolean(connector.oauthAccount)) {
    problems.push(
      "a platform whose consent page chooses the account (link.accountField null) needs connector.oauthAccount to name it, and only such a platform has one",
    );
  }
  if (definition.auth === "oauth2_or_api_key" && !definition.link.apiKeyAccountField)
    problems.push("a platform that accepts API keys needs link.apiKeyAccountField");
  const seen = new Set<string>();
  const events = new Set<string>();
  for (const object of definition.objects) {
    if (seen.has(object.key)) problems.push(`object "${object.key}" is defined twice`);
    seen.add(object.key);
    if (!/^[a-z][a-z0-9_]*$/.test(object.key)) problems.push(`object key "${object.key}" is not snake_case`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(object.event)) problems.push(`${object.key}: event name "${object.event}" is not UPPER_SNAKE`);
    if (events.has(object.event)) problems.push(`${object.key}: event name "${object.event}" is another object's too`);
    events.add(object.event);
    for (const dependency of object.dependsOn ?? []) {
      if (!keys.includes(dependency) || dependency === object.key)
        problems.push(`${object.key} depends on "${dependency}", which is not another of its objects`);
    }
  }
  const cycle = dependencyCycle(definition.objects);
  if (cycle) problems.push(`objects depend on each other in a circle: ${cycle.join(" → ")}`);
  const datasetObjects = new Set(sandbox.objects.map((object) => object.name));
  for (const [object, datasetObject] of Object.entries(sandbox.groundTruth)) {
    if (!keys.includes(object)) problems.push(`the emulator keeps ground truth for "${object}", which the definition does not offer`);
    if (!datasetObjects.has(datasetObject)) problems.push(`the emulator's ground truth of ${object} names "${datasetObject}", which it does not generate`);
  }
  return problems;
}

function dependencyCycle(objects: Platform["definition"]["objects"]): string[] | null {
  const needs = new Map(objects.map((object) => [object.key, object.dependsOn ?? []]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (key: string): string[] | null => {
    if (state.get(key) === "done") return null;
    if (state.get(key) === "visiting") return [...path.slice(path.indexOf(key)), key];
    state.set(key, "visiting");
    path.push(key);
    for (const next of needs.get(key) ?? []) {
      const found = needs.has(next) ? visit(next) : null;
      if (found) return found;
    }
    path.pop();
    state.set(key, "done");
    return null;
  };
  for (const key of needs.keys()) {
    const found = visit(key);
    if (found) return found;
  }
  return null;
}

/**
 * The connector against its own emulator, over HTTP: every object lists (with the windows and update
 * filters the definition claims), every declared filter narrows, undeclared filters and unknown
 * objects are refused, and each webhook the emulator sends verifies and names objects the definition has.
 */
export async function emulatorProblems(platform: Platform): Promise<string[]> {
  const { definition, connector, sandbox } = platform;
  const problems: string[] = [];
  const server = await startSandboxServer({ platforms: [sandbox] });
  try {
    const control = (path: string, body: unknown) =>
      fetch(`${server.url}/control/accounts${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    // The emulator names the account, in the form its platform's ids take (Xero: a tenant UUID).
    const created = await control("", { platform: definition.key, size: ACCOUNT_SIZE, seed: 11, history_months: 24, rate_limited: false });
    if (created.status !== 201) return [`the emulator refused an account: ${created.status} ${await created.text()}`];
    const { id: accountId } = (await created.json()) as { id: string };
    const token = (await (await control(`/${definition.key}/${accountId}/tokens`, {})).json()) as { access_token: string };
    const context: ConnectorContext = {
      baseUrl: connector.endpoints(accountId, server.url).apiBaseUrl,
      accountId,
      credentials: { kind: "oauth", accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: [] },
      fetch,
    };
    const list = (request: Omit<ListRequest, "cursor">) => connector.list(context, { cursor: null, pageSize: 100, ...request });
    const anHourAgo = new Date(Date.now() - 3600_000);
    const twoYearsAgo = new Date(Date.now() - 2 * 365 * 24 * 3600_000);

    for (const object of definition.objects) {
      const first = await list({ object: object.key }).catch((error: unknown) => error);
      if (!isPage(first)) {
        problems.push(`${object.key}: the connector cannot list it from the emulator (${describe(first)})`);
        continue;
      }
      if (object.key in sandbox.groundTruth && first.records.length === 0)
        problems.push(`${object.key}: the emulator's account has records but the first page is empty`);
      if (object.supportsWindow) {
        const windowed = await list({ object: object.key, window: { start: twoYearsAgo, end: anHourAgo } }).catch((error: unknown) => error);
        if (!isPage(windowed))
          problems.push(`${object.key}: the definition says it takes a creation window, but listing with one failed (${describe(windowed)})`);
      }
      if (object.supportsUpdatedSince) {
        const changed = await list({ object: object.key, updatedSince: twoYearsAgo }).catch((error: unknown) => error);
        if (!isPage(changed)) problems.push(`${object.key}: the definition says it takes updated-since, but listing with it failed (${describe(changed)})`);
      }
      for (const filter of object.filters ?? []) {
        const value = first.records.map((record) => record.data[filter.name]).find((v) => typeof v === "string" && v !== "");
        if (typeof value !== "string") {
          problems.push(`${object.key}: no record carries ${filter.name}, so the filter cannot be tried`);
          continue;
        }
        const narrowed = await list({ object: object.key, filters: { [filter.name]: value } }).catch((error: unknown) => error);
        if (!isPage(narrowed)) problems.push(`${object.key}: filtering by ${filter.name} failed (${describe(narrowed)})`);
        else if (narrowed.records.length === 0 || narrowed.records.some((record) => record.data[filter.name] !== value)) {
          problems.push(`${object.key}: filtering by ${filter.name}=${value} did not return exactly that ${filter.name}'s records`);
        }
      }
      const undeclared = await list({ object: object.key, filters: { not_a_filter: "1" } }).catch((error: unknown) => error);
      if (!(undeclared instanceof ConnectorError && undeclared.kind === "permanent"))
        problems.push(`${object.key}: a filter the definition does not declare was not refused`);
    }
    const unknown = await list({ object: "not_an_object" }).catch((error: unknown) => error);
    if (!(unknown instanceof ConnectorError && unknown.kind === "permanent")) problems.push("an object the definition does not offer was not refused");

    problems.push(...webhookProblems(platform, server.registry.get(definition.key, accountId)!.dataset, accountId));
  } finally {
    await server.stop();
  }
  return problems;
}

function webhookProblems({ definition, connector, sandbox }: Platform, dataset: import("@/lib/sandbox/dataset").Dataset, accountId: string): string[] {
  const webhooks: Connector["webhooks"] = connector.webhooks;
  if (!webhooks) return [];
  const problems: string[] = [];
  const keys = definition.objects.map((object) => object.key);
  const lowerCased = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  // A platform that checks a subscription first (Xero's intent to receive) must get 200 for its
  // correctly signed empty delivery, which names nothing, and 401 for the wrongly signed one.
  const intent = sandbox.intentToReceive?.("conformance-secret");
  if (intent) {
    if (!webhooks.verify(lowerCased(intent.valid.headers), intent.valid.body, "conformance-secret"))
      problems.push("the connector refuses the emulator's correctly signed intent-to-receive check");
    else if (webhooks.objects(lowerCased(intent.valid.headers), intent.valid.body).length)
      problems.push("the emulator's intent-to-receive check names objects, so it would queue a sync");
    if (webhooks.verify(lowerCased(intent.invalid.headers), intent.invalid.body, "conformance-secret"))
      problems.push("the connector accepts the emulator's wrongly signed intent-to-receive check");
  }
  for (const [object, datasetObject] of Object.entries(sandbox.groundTruth)) {
    const [record] = dataset.list(datasetObject, { limit: 1 });
    if (!record) continue;
    const sent = sandbox.webhook({ kind: "updated", record }, "conformance-secret", accountId);
    // Platforms notify some objects only (Xero: contacts and invoices).
    if (!sent) continue;
    const headers = lowerCased(sent.headers);
    if (!webhooks.verify(headers, sent.body, "conformance-secret")) problems.push(`${object}: the connector does not verify the emulator's webhook signature`);
    const named = webhooks.objects(headers, sent.body);
    if (!named.includes(object)) problems.push(`${object}: the emulator's webhook for it names ${JSON.stringify(named)}, not "${object}"`);
    for (const name of named) if (!keys.includes(name)) problems.push(`${object}: the webhook names "${name}", which the definition does not offer`);
  }
  return problems;
}

const isPage = (value: unknown): value is Awaited<ReturnType<Connector["list"]>> => typeof value === "object" && value !== null && "records" in value;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
