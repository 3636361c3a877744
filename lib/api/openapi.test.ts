// The OpenAPI document: valid OpenAPI 3.1 for a standard parser, listing exactly the routes Next.js
// serves under app/api/v1 (found from the folders, both ways), with unique operation ids, and served
// without a key at /api/v1/openapi.json.
import SwaggerParser from "@apidevtools/swagger-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as openApiRoute } from "@/app/api/v1/openapi.json/route";
import { servedModel } from "@/lib/unified";
import { z } from "zod";
import { buildOpenApiDocument, documentedPath } from "./openapi";
import { discoverRoutes, matchRoute, type DiscoveredRoute } from "./openapi.testing";
import { OPERATIONS } from "./operations";
import { readObject } from "./operations/data";

// The document's own route is not an operation of the API (no key, not in OPERATIONS).
const NOT_DOCUMENTED = new Set(["GET /openapi.json"]);

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();
  const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
  let routes: DiscoveredRoute[];

  beforeAll(async () => {
    routes = await discoverRoutes();
  });

  it("is valid OpenAPI 3.1 for a standard parser", async () => {
    expect(document.openapi).toBe("3.1.0");
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it("lists every route under app/api/v1, and no operation without a route", () => {
    const served = routes.map((r) => r.key).filter((key) => !NOT_DOCUMENTED.has(key));
    const declared = OPERATIONS.map((o) => `${o.method} ${o.path}`);
    const undocumented = served.filter((key) => !declared.includes(key));
    const unserved = documented.filter((key) => {
      const [method, path] = key.split(" ");
      const match = matchRoute(routes, method, path);
      return !match || NOT_DOCUMENTED.has(match.route.key);
    });
    expect(undocumented, "routes without an operation in lib/api/operations (declare one and use it with apiRoute)").toEqual([]);
    expect(unserved, "operations without a route file (app/api/v1/<path with [param] folders>/route.ts)").toEqual([]);
  });

  it("has each route serve the operation declared for its method and path", () => {
    for (const route of routes.filter((r) => !NOT_DOCUMENTED.has(r.key))) {
      const operation = route.handler.operation;
      expect(operation, `${route.file} ${route.method}: wrap it with apiRoute(operation, handler)`).toBeDefined();
      expect(`${operation?.method} ${operation?.path}`, `${route.file} ${route.method} serves another operation`).toBe(route.key);
    }
  });

  it("documents each operation at its path, or at each of its instances' paths instead", () => {
    const expected = OPERATIONS.flatMap((o) => (o.instances ?? [undefined]).map((instance) => `${o.method} ${documentedPath(o, instance)}`));
    expect([...documented].sort()).toEqual([...expected].sort());
    for (const operation of OPERATIONS.filter((o) => o.instances?.length)) {
      for (const instance of operation.instances!) {
        const match = matchRoute(routes, operation.method, documentedPath(operation, instance));
        expect(match?.route.handler.operation, `${instance.operationId} is served by ${operation.operationId}'s route`).toBe(operation);
        expect(match?.params).toEqual(instance.params);
      }
    }
  });

  it("answers each record read with a page of its object, whose data is the object's unified model with its references' record ids", () => {
    const schemas = (document.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    const instances = readObject.instances ?? [];
    expect(instances.map((i) => `${i.params.category}/${i.params.object}`)).toEqual(
      expect.arrayContaining([
        "commerce/orders",
        "commerce/transactions",
        "accounting/invoices",
        "accounting/payments",
        "ticketing/tickets",
        "ticketing/comments",
      ]),
    );
    for (const { params, operationId } of instances) {
      const { category, object } = params;
      const read = document.paths[`/${category}/${object}`].get as {
        operationId: string;
        responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }>;
      };
      expect(read.operationId).toBe(operationId);
      const page = read.responses[200].content["application/json"].schema as {
        properties: Record<string, { items: { properties: Record<string, unknown> } }>;
        required: string[];
      };
      expect(page.required, operationId).toEqual([object, "next_cursor", "force_fetched"]);
      expect(page.properties[object].items.properties.data, operationId).toEqual({ $ref: `#/components/schemas/${category}.${object}` });
      const { $schema: _dialect, ...model } = z.toJSONSchema(servedModel(category, object)!, { io: "output" }) as Record<string, unknown>;
      expect(schemas[`${category}.${object}`], `components.schemas["${category}.${object}"]`).toEqual(model);
    }
    const orders = schemas["commerce.orders"] as { properties: Record<string, Record<string, unknown>> };
    expect(orders.properties.customer_id).toMatchObject({ "x-references": "customers" });
    expect(orders.properties.customer_record_id.description).toMatch(/Tributary's record id/);
    expect(orders.properties.total_price).toMatchObject({ type: "string", pattern: expect.any(String) });
  });

  it("has unique operation ids, and describes every path parameter", () => {
    const ids = Object.values(document.paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const operation of OPERATIONS) {
      const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
      expect(Object.keys(operation.pathParams ?? {}).sort(), `${operation.operationId}: pathParams`).toEqual(names.sort());
    }
  });

  it("documents the error shape, Basic auth, the Idempotency-Key on POSTs and the 429", () => {
    const components = document.components as { securitySchemes: Record<string, unknown>; schemas: Record<string, { required: string[] }> };
    expect(components.securitySchemes.basicAuth).toMatchObject({ type: "http", scheme: "basic" });
    expect(components.schemas.Error.required).toEqual(["error_type", "error_code", "error_message"]);
    for (const operation of OPERATIONS) {
      for (const instance of operation.instances ?? [undefined]) {
        const documentedOperation = document.paths[documentedPath(operation, instance)][operation.method.toLowerCase()] as {
          parameters?: { $ref?: string }[];
          responses: Record<string, unknown>;
        };
        expect(documentedOperation.responses[429], operation.operationId).toEqual({ $ref: "#/components/responses/RateLimited" });
        expect(documentedOperation.responses[401], operation.operationId).toBeDefined();
        const idempotent = (documentedOperation.parameters ?? []).some((p) => p.$ref === "#/components/parameters/IdempotencyKey");
        // The proxy keeps no answers: the platform's own idempotency headers pass through instead.
        expect(idempotent, operation.operationId).toBe((operation.method === "POST" || operation.method === "PATCH") && !operation.passthrough);
      }
    }
  });

  it("says which answers hold a secret shown once, and that a replay withholds it", () => {
    for (const operation of OPERATIONS.filter((o) => o.secretFields?.length)) {
      const documentedOperation = document.paths[operation.path][operation.method.toLowerCase()] as {
        description: string;
        "x-secret-fields": string[];
        responses: Record<string, { headers?: Record<string, unknown> }>;
      };
      expect(documentedOperation["x-secret-fields"], operation.operationId).toEqual(operation.secretFields);
      expect(documentedOperation.description, operation.operationId).toContain(`Idempotent-Withheld: ${operation.secretFields!.join(", ")}`);
      const success = Object.entries(documentedOperation.responses).find(([status]) => Number(status) < 300)![1];
      expect(success.headers?.["Idempotent-Withheld"], operation.operationId).toEqual({ $ref: "#/components/headers/Idempotent-Withheld" });
    }
    expect(OPERATIONS.filter((o) => o.secretFields?.length).map((o) => o.operationId)).toEqual(
      expect.arrayContaining(["createWebhookEndpoint", "rotateWebhookSecret", "createLinkSession", "exchangePublicToken"]),
    );
  });

  it("turns the zod schemas into parameters and bodies: required fields, patterns, enums, strict bodies", () => {
    const readOrders = document.paths["/commerce/orders"].get as {
      parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
    };
    expect(readOrders.parameters.find((p) => p.name === "access_token")).toMatchObject({ in: "query", required: true, schema: { type: "string" } });
    expect(readOrders.parameters.find((p) => p.name === "limit")).toMatchObject({
      in: "query",
      required: false,
      schema: { type: "string", pattern: "^\\d+$" },
    });
    expect(readOrders.parameters.find((p) => p.name === "expand")).toMatchObject({
      in: "query",
      required: false,
      schema: { type: "string", enum: ["platform_data"] },
    });
    // The instance's path fills in category and object: they are no parameters of it.
    expect(readOrders.parameters.filter((p) => p.in === "path")).toEqual([]);
    const backfill = document.paths["/connections/{id}/backfill"].post as {
      requestBody: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
    };
    expect(backfill.requestBody.required).toBe(true);
    expect(backfill.requestBody.content["application/json"].schema).toMatchObject({ type: "object", required: ["objects"], additionalProperties: false });
    const sync = document.paths["/connections/{id}/sync"].post as { requestBody: { required: boolean } };
    expect(sync.requestBody.required).toBe(false);
  });

  it("describes path ids by their pattern, and each body's size limit with its 413", () => {
    const getConnection = document.paths["/connections/{id}"].get as {
      parameters: { name: string; in: string; description?: string; schema: Record<string, unknown> }[];
    };
    expect(getConnection.parameters.find((p) => p.name === "id")).toEqual({
      name: "id",
      in: "path",
      required: true,
      description: "The connection's id (conn_…)",
      schema: { type: "string", pattern: "^conn_[0-9A-Z]{26}$" },
    });
    const createEndpoint = document.paths["/webhook-endpoints"].post as { requestBody: Record<string, unknown>; responses: Record<string, unknown> };
    expect(createEndpoint.requestBody["x-body-limit"]).toBe(1024 * 1024);
    expect(createEndpoint.responses[413]).toEqual({ $ref: "#/components/responses/BodyTooLarge" });
    const createLinkSession = document.paths["/link/sessions"].post as { requestBody: Record<string, unknown> };
    expect(createLinkSession.requestBody["x-body-limit"]).toBe(16 * 1024);
  });

  it("is served at GET /api/v1/openapi.json without a key", async () => {
    const response = await openApiRoute();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
