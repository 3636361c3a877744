// The OpenAPI document (lib/api/openapi.ts) read for the API reference page: operations grouped by
// tag in the document's tag order, and `$ref`s resolved against its components. Pure, so the page
// renders from the same document GET /api/v1/openapi.json serves.
export type Json = Record<string, unknown>;

export interface ReferenceParameter {
  name: string;
  in: string;
  required: boolean;
  description: string | null;
  schema: Json;
}

export interface ReferenceResponse {
  status: string;
  description: string;
  schema: Json | null;
}

export interface ReferenceOperation {
  /** Anchor on the page: the operationId, or method and path. */
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  parameters: ReferenceParameter[];
  requestBody: { required: boolean; description: string | null; schema: Json } | null;
  responses: ReferenceResponse[];
}

export interface ReferenceTag {
  name: string;
  operations: ReferenceOperation[];
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
const MAX_REF_DEPTH = 20;

const asObject = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const asString = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** `#/components/…` in `document`; the value itself when it is not a reference. Unknown references resolve to {}. */
export function resolveRef(document: Json, value: unknown): Json {
  let current = asObject(value);
  for (let depth = 0; typeof current.$ref === "string" && depth < MAX_REF_DEPTH; depth++) {
    const ref: string = current.$ref;
    if (!ref.startsWith("#/")) return {};
    current = asObject(
      ref
        .slice(2)
        .split("/")
        .reduce<unknown>((node, part) => asObject(node)[part.replace(/~1/g, "/").replace(/~0/g, "~")], document),
    );
  }
  return current;
}

/** The name a `$ref` points at (`#/components/schemas/Order` → Order), or null. */
export function refName(value: unknown): string | null {
  const ref = asString(asObject(value).$ref);
  return ref ? (ref.split("/").at(-1) ?? null) : null;
}

function jsonSchemaOf(document: Json, content: unknown): Json | null {
  const schema = asObject(asObject(asObject(content)["application/json"]).schema);
  return Object.keys(schema).length ? schema : null;
}

/** Every operation of the document, grouped by its first tag; tags in the document's order, then any undeclared ones. */
export function groupOperations(document: Json): ReferenceTag[] {
  const groups = new Map<string, ReferenceOperation[]>();
  for (const tag of Array.isArray(document.tags) ? document.tags : []) {
    const name = asString(asObject(tag).name);
    if (name) groups.set(name, []);
  }
  for (const [path, item] of Object.entries(asObject(document.paths))) {
    for (const method of METHODS) {
      const operation = asObject(asObject(item)[method]);
      if (!Object.keys(operation).length) continue;
      const tag = asString((operation.tags as unknown[] | undefined)?.[0]) ?? "Other";
      const body = operation.requestBody ? resolveRef(document, operation.requestBody) : null;
      const entry: ReferenceOperation = {
        id: asString(operation.operationId) ?? `${method}-${path}`.replace(/[^A-Za-z0-9_-]+/g, "-"),
        method: method.toUpperCase(),
        path,
        summary: asString(operation.summary) ?? "",
        description: asString(operation.description),
        parameters: (Array.isArray(operation.parameters) ? operation.parameters : []).map((raw) => {
          const parameter = resolveRef(document, raw);
          return {
            name: asString(parameter.name) ?? "",
            in: asString(parameter.in) ?? "query",
            required: parameter.required === true,
            description: asString(parameter.description),
            schema: asObject(parameter.schema),
          };
        }),
        requestBody: body
          ? { required: body.required === true, description: asString(body.description), schema: jsonSchemaOf(document, body.content) ?? {} }
          : null,
        responses: Object.entries(asObject(operation.responses)).map(([status, raw]) => {
          const response = resolveRef(document, raw);
          return { status, description: asString(response.description) ?? "", schema: jsonSchemaOf(document, response.content) };
        }),
      };
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push(entry);
    }
  }
  return [...groups].filter(([, operations]) => operations.length > 0).map(([name, operations]) => ({ name, operations }));
}

/** A schema's type in a few words: `string (date-time)`, `array of Order`, `"a" | "b"`, `integer | null`. */
export function typeLabel(document: Json, schema: Json): string {
  const named = refName(schema);
  if (named) return named;
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(schema[key])) return (schema[key] as unknown[]).map((option) => typeLabel(document, asObject(option))).join(" | ");
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : asString(schema.type);
  if (type === "array") return `array of ${typeLabel(document, asObject(schema.items))}`;
  const format = asString(schema.format);
  return `${type ?? "any"}${format ? ` (${format})` : ""}`;
}

/** The object schema's fields, following a `$ref` or the non-null branch of a nullable union; null for a non-object. */
export function objectFields(document: Json, schema: Json): { name: string; required: boolean; schema: Json }[] | null {
  let target = resolveRef(document, schema);
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = Array.isArray(target[key]) ? (target[key] as unknown[]).map((option) => resolveRef(document, option)) : null;
    const objects = options?.filter((option) => option.type === "object" || option.properties);
    if (objects?.length === 1) target = objects[0];
  }
  if (target.type === "array") return null;
  const properties = asObject(target.properties);
  if (!Object.keys(properties).length) return null;
  const required = new Set(Array.isArray(target.required) ? (target.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) => ({ name, required: required.has(name), schema: asObject(property) }));
}

/** The element schema of an array (following a `$ref`), or null. */
export function arrayItems(document: Json, schema: Json): Json | null {
  const target = resolveRef(document, schema);
  return target.type === "array" ? asObject(target.items) : null;
}
