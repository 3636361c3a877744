// The OpenAPI 3.1 document of the public API, generated from the operations' declarations
// (lib/api/operations): the same zod schemas the routes validate with become the query parameters and
// request bodies (their input side: what a client sends), and the answers' schemas (their output side)
// become the responses, so the document cannot drift from what the API accepts and answers. Schemas
// with an id (`.meta({ id })`, the unified models) are lifted into components.schemas and referenced.
// Served at GET /api/v1/openapi.json.
import { z } from "zod";
import { DEFAULT_BODY_LIMIT, type Operation, type OperationInstance } from "./operation";
import { OPERATIONS } from "./operations";

type JsonSchema = Record<string, unknown>;
type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, JsonSchema>> };

const ERROR = { $ref: "#/components/schemas/Error" };
const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": { $ref: "#/components/headers/X-RateLimit-Limit" },
  "X-RateLimit-Remaining": { $ref: "#/components/headers/X-RateLimit-Remaining" },
};

const COMPONENTS = {
  securitySchemes: {
    basicAuth: {
      type: "http",
      scheme: "basic",
      description: "An API key of the organization and environment: the client id as user name, the secret as password.",
    },
  },
  schemas: {
    Error: {
      type: "object",
      description: "Every error has this shape, with the HTTP status that fits; a bad input names its field.",
      properties: {
        error_type: {
          type: "string",
          examples: ["INVALID_REQUEST"],
          description: "The family: INVALID_REQUEST, AUTHENTICATION_ERROR, NOT_FOUND, CONNECTION_ERROR, IDEMPOTENCY_ERROR, RATE_LIMIT_ERROR, INTERNAL_ERROR…",
        },
        error_code: {
          type: "string",
          examples: ["INVALID_FIELD"],
          description: "What went wrong, e.g. INVALID_FIELD, INVALID_JSON, BODY_TOO_LARGE, PRODUCT_NOT_READY, IDEMPOTENCY_KEY_REUSED",
        },
        error_message: { type: "string", description: "For people; never contains internals" },
        field: { type: "string", description: "The bad field of a 400: a body field (dotted path), a query or path parameter, or a header's name" },
      },
      required: ["error_type", "error_code", "error_message"],
    },
  },
  parameters: {
    IdempotencyKey: {
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Makes a POST or PATCH safe to retry: a retry with the same key and the same request (method, path, body) within 24 hours gets the first answer again, with `Idempotent-Replayed: true`, instead of running twice; secrets the first answer held are not kept, so a replay answers them as null and names them in `Idempotent-Withheld`. The same key with another request answers 409 IDEMPOTENCY_KEY_REUSED; a retry while the first is still running, 409 IDEMPOTENCY_KEY_IN_USE. Answers 5xx are not kept.",
      schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7e]+$" },
    },
  },
  headers: {
    "X-RateLimit-Limit": {
      description: "Requests this organization and environment may send at once (the bucket's size, twice the rate per second)",
      schema: { type: "integer" },
    },
    "X-RateLimit-Remaining": { description: "Requests left in the bucket; it refills at the rate per second", schema: { type: "integer" } },
    "Retry-After": { description: "Seconds to wait before the next request", schema: { type: "integer", minimum: 1 } },
    "Idempotent-Replayed": {
      description: "`true` when this is the stored answer of an earlier request with the same Idempotency-Key",
      schema: { type: "string", enum: ["true"] },
    },
    "Idempotent-Withheld": {
      description:
        "On a replay: the fields holding a secret that was shown once (comma-separated), answered as null. Tributary did not keep them; get a new one the operation's way.",
      schema: { type: "string", examples: ["secret", "link_token, link_url"] },
    },
  },
  responses: {
    BadRequest: {
      description: "A bad input: INVALID_FIELD names the field (`field`); INVALID_JSON says where the text broke (line and column)",
      headers: RATE_LIMIT_HEADERS,
      content: { "application/json": { schema: ERROR } },
    },
    BodyTooLarge: {
      description: "The body is larger than the operation's limit (BODY_TOO_LARGE, the limit in bytes in error_message): nothing past the limit is read",
      headers: RATE_LIMIT_HEADERS,
      content: { "application/json": { schema: ERROR } },
    },
    Unauthorized: { description: "No API key, or not an active one (AUTHENTICATION_ERROR)", content: { "application/json": { schema: ERROR } } },
    RateLimited: {
      description: "Too many requests for this organization and environment (RATE_LIMIT_ERROR, RATE_LIMIT_EXCEEDED)",
      headers: { ...RATE_LIMIT_HEADERS, "Retry-After": { $ref: "#/components/headers/Retry-After" } },
      content: { "application/json": { schema: ERROR } },
    },
  },
};

/** The document for `operations` (every operation of the API by default). */
export function buildOpenApiDocument(operations: readonly Operation[] = OPERATIONS): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  const schemas: Record<string, JsonSchema> = { ...COMPONENTS.schemas };
  const tags = new Set<string>();
  for (const operation of operations) {
    for (const instance of operation.instances ?? [undefined]) {
      const path = documentedPath(operation, instance);
      paths[path] ??= {};
      paths[path][operation.method.toLowerCase()] = operationObject(operation, instance, schemas);
      tags.add(instance?.tag ?? operation.tag);
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Tributary API",
      version: "1.0.0",
      description:
        "Connections, their synced data, sync runs, events and webhooks of one organization and environment. Authenticate with HTTP Basic auth (API key client id and secret). Rate-limited per organization and environment (429 with Retry-After); POSTs and PATCHes accept an Idempotency-Key.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ basicAuth: [] }],
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: { ...COMPONENTS, schemas },
  };
}

/** The path an operation (or one of its instances) is documented at: the instance's parameters filled in. */
export function documentedPath(operation: Operation, instance?: OperationInstance): string {
  return instance ? operation.path.replace(/\{([^}]+)\}/g, (whole, name: string) => instance.params[name] ?? whole) : operation.path;
}

let cached: OpenApiDocument | undefined;

/** The API's document, built once per process. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}

function operationObject(operation: Operation, instance: OperationInstance | undefined, schemas: Record<string, JsonSchema>): JsonSchema {
  const parameters: JsonSchema[] = [...pathParameters(operation, instance), ...queryParameters(operation)];
  if ((operation.method === "POST" || operation.method === "PATCH") && !operation.passthrough)
    parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });
  const description = [instance?.description, operation.description, secretsNote(operation)].filter(Boolean).join("\n\n");
  const response = instance?.response ?? operation.response;
  return {
    operationId: instance?.operationId ?? operation.operationId,
    tags: [instance?.tag ?? operation.tag],
    summary: instance?.summary ?? operation.summary,
    ...(description ? { description } : {}),
    ...(operation.secretFields?.length ? { "x-secret-fields": [...operation.secretFields] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...((instance?.body ?? operation.body) ? { requestBody: requestBody(instance?.body ?? operation.body!, operation.bodyLimit ?? DEFAULT_BODY_LIMIT) } : {}),
    ...(operation.passthrough ? passthroughParts(operation) : {}),
    responses: responses(operation, parameters.length > 0 || operation.body !== undefined, response ? outputSchema(response, schemas) : { type: "object" }),
  };
}

/** A proxied operation: marked, and where it sends a body, one of any type the platform takes. */
function passthroughParts(operation: Operation): JsonSchema {
  const limit = operation.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const sendsBody = operation.method !== "GET" && operation.method !== "DELETE";
  return {
    "x-passthrough": true,
    ...(sendsBody
      ? {
          requestBody: {
            required: false,
            description: `The platform's body, forwarded as sent; at most ${limit} bytes (413 BODY_TOO_LARGE beyond)`,
            content: { "*/*": { schema: {} } },
          },
        }
      : {}),
  };
}

/** What the description says about an operation's secret fields (lib/api/idempotency.ts keeps the promise). */
function secretsNote(operation: Operation): string | null {
  const fields = operation.secretFields ?? [];
  if (!fields.length) return null;
  const named = fields.map((field) => `\`${field}\``).join(" and ");
  return `**Shown once:** ${named} ${fields.length > 1 ? "are" : "is"} in this answer only; Tributary does not keep ${fields.length > 1 ? "them" : "it"}. A retry with the same Idempotency-Key answers ${fields.length > 1 ? "them" : "it"} as null, with \`Idempotent-Replayed: true\` and \`Idempotent-Withheld: ${fields.join(", ")}\`.`;
}

function pathParameters(operation: Operation, instance?: OperationInstance): JsonSchema[] {
  const schemas = (operation.pathParams ?? {}) as Record<string, z.ZodType>;
  return [...documentedPath(operation, instance).matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const { description, ...schema } = schemas[name] ? inputSchema(schemas[name]) : { type: "string" };
    return { name, in: "path", required: true, ...(typeof description === "string" ? { description } : {}), schema };
  });
}

function queryParameters(operation: Operation): JsonSchema[] {
  if (!operation.query) return [];
  const schema = inputSchema(operation.query);
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties) throw new Error(`${operation.operationId}: the query schema must be a z.object (each property is a query parameter)`);
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: "query", required: required.has(name), ...(typeof description === "string" ? { description } : {}), schema: rest };
  });
}

function requestBody(schema: z.ZodType, limitBytes: number): JsonSchema {
  // An empty body reads as {}: a body whose fields are all optional may be left out.
  return {
    required: !schema.safeParse({}).success,
    description: `At most ${limitBytes} bytes (413 BODY_TOO_LARGE beyond)`,
    "x-body-limit": limitBytes,
    content: { "application/json": { schema: inputSchema(schema) } },
  };
}

function inputSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete json.$schema; // the document's own dialect, JSON Schema 2020-12, is the same
  if (json.$defs)
    throw new Error("A schema with shared definitions ($defs, from .meta({ id }) or recursion) needs lifting into components.schemas: not supported yet");
  return json;
}

/**
 * An answer's schema, its shared definitions (schemas with an id) lifted into the document's
 * components.schemas and referenced from there. Two different schemas under one id are refused.
 */
function outputSchema(schema: z.ZodType, components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  const definitions = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  const lift = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(lift);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === "$ref" && typeof inner === "string" ? inner.replace(/^#\/\$defs\//, "#/components/schemas/") : lift(inner),
      ]),
    );
  };
  for (const [id, definition] of Object.entries(definitions)) {
    const lifted = lift(definition) as JsonSchema;
    if (components[id] && JSON.stringify(components[id]) !== JSON.stringify(lifted)) throw new Error(`Two different schemas are named "${id}" in the document`);
    components[id] = lifted;
  }
  return lift(json) as JsonSchema;
}

function replayHeaders(operation: Operation): JsonSchema {
  const replayed = { "Idempotent-Replayed": { $ref: "#/components/headers/Idempotent-Replayed" } };
  return operation.secretFields?.length ? { ...replayed, "Idempotent-Withheld": { $ref: "#/components/headers/Idempotent-Withheld" } } : replayed;
}

function responses(operation: Operation, hasInput: boolean, successSchema: JsonSchema): Record<string, JsonSchema> {
  const answers: Record<string, JsonSchema> = {};
  for (const [status, description] of Object.entries(operation.responses)) {
    const success = Number(status) < 300;
    answers[status] = {
      description:
        Number(status) === 409 && operation.method === "POST"
          ? `${description}; or an Idempotency-Key conflict (IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_USE)`
          : description,
      headers: success && operation.method === "POST" ? { ...RATE_LIMIT_HEADERS, ...replayHeaders(operation) } : RATE_LIMIT_HEADERS,
      content: { "application/json": { schema: success ? successSchema : ERROR } },
    };
  }
  if (hasInput && !answers[400]) answers[400] = { $ref: "#/components/responses/BadRequest" };
  if (operation.body) answers[413] = { $ref: "#/components/responses/BodyTooLarge" };
  answers[401] = { $ref: "#/components/responses/Unauthorized" };
  if (operation.method === "POST" && !answers[409]) {
    answers[409] = {
      description: "An Idempotency-Key conflict: IDEMPOTENCY_KEY_REUSED (another request) or IDEMPOTENCY_KEY_IN_USE (still running)",
      headers: RATE_LIMIT_HEADERS,
      content: { "application/json": { schema: ERROR } },
    };
  }
  answers[429] = { $ref: "#/components/responses/RateLimited" };
  return Object.fromEntries(Object.entries(answers).sort(([a], [b]) => Number(a) - Number(b)));
}
