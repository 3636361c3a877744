// Bulk query operations (https://shopify.dev/docs/api/usage/bulk-operations/queries, 2026-10):
// bulkOperationRunQuery validates the inner query as Shopify does (one top-level field, a connection,
// not node/nodes; at most five connections, nested at most two levels), runs it in the background and
// publishes a JSONL file: one line per object, connections nested in the top one as their own lines
// after their parent's, carrying "__parentId". currentBulkOperation and node(id:) poll it,
// bulkOperationCancel stops it, and bulk_operations/finish goes to the subscriptions of that topic.
//
// Grouping: with groupObjects: true a nested object's line comes right after its parent's (and its
// siblings'); without it (the default from 2026-01, which made grouping opt-in because it is slower)
// Shopify promises no order, and the sandbox writes each block of 250 parents before their children,
// so a reader that assumed grouping fails here as it would on a real store.
//
// Ranges: the result URL is a signed cloud-storage object, which answers `Range: bytes=N-` with 206
// and the rest of the file, so a download cut off midway resumes where it stopped.
//
// Concurrency: from 2026-01 an app may run up to five bulk query operations at a time per shop
// (one before 2026-01, answered OPERATION_IN_PROGRESS); a sixth gets LIMIT_REACHED.
//
// Snapshot: an operation reads the store as it was when it was created (the overlay of changes is
// copied then, O(changes); base records are a function of the seed). The file reflects that instant:
// a change made while it runs is not in it, and an incremental query with updated_at >= the
// operation's createdAt finds it. The file is never stored: the run generates every line once to
// count objects and bytes (objectCount, rootObjectCount, fileSize) and the download generates the same
// lines again as the response is written, with backpressure, so memory stays flat at any size.
//
// Pace: on a rate-limited account an operation takes the time of BULK_ROOTS_PER_SECOND root objects
// a second (times rate_limit_scale), so polling it is meaningful; Shopify publishes no figure, this one
// is a choice that makes the 5,000-record demo store's orders take about a second. Without rate limits
// it runs as fast as the lines are made.
import { createHmac, randomBytes } from "node:crypto";
import { getNamedType, isObjectType, Kind, parse, validate, type DocumentNode, type FieldNode, type GraphQLObjectType, type SelectionSetNode } from "graphql";
import type { SandboxAccount } from "@/lib/sandbox/accounts";
import { Dataset } from "@/lib/sandbox/dataset";
import type { SandboxRequest, SandboxResponse } from "@/lib/sandbox/http";
import type { HandlerContext, OAuthContext } from "@/lib/sandbox/platform";
import { scanForward } from "../listing";
import { SHOPIFY_OBJECTS } from "../objects";
import type { ListFilters } from "../query";
import type { ShopifyResource } from "../render";
import { shopifyWebhook } from "../webhook";
import type { Connection } from "./connections";
import { dateTime, gid, liveSource, toNode, type GraphqlObject } from "./nodes";
import { compileProjection, type Projector } from "./project";
import { ADMIN_SCHEMA, isConnectionTypeName } from "./schema";
import { parseSearch } from "./search";

export const BULK_ROOTS_PER_SECOND = 5000;
export const MAX_BULK_CONNECTIONS = 5;
export const MAX_BULK_NESTING = 2;

export type BulkStatus = "CREATED" | "RUNNING" | "CANCELING" | "CANCELED" | "COMPLETED" | "FAILED" | "EXPIRED";

/** The lifecycle, written once: which status may follow which. */
export const BULK_TRANSITIONS: Record<BulkStatus, readonly BulkStatus[]> = {
  CREATED: ["RUNNING", "CANCELING"],
  RUNNING: ["COMPLETED", "FAILED", "CANCELING"],
  CANCELING: ["CANCELED"],
  COMPLETED: ["EXPIRED"],
  CANCELED: [],
  FAILED: [],
  EXPIRED: [],
};

export function isFinalBulkStatus(status: BulkStatus): boolean {
  return status === "COMPLETED" || status === "CANCELED" || status === "FAILED" || status === "EXPIRED";
}

/** Where each top-level connection of a bulk query reads. */
const BULK_ROOTS: Record<string, { resource: ShopifyResource; type: string }> = {
  products: { resource: "products", type: "Product" },
  collections: { resource: "custom_collections", type: "Collection" },
  customers: { resource: "customers", type: "Customer" },
  orders: { resource: "orders", type: "Order" },
};

interface BulkPlan {
  resource: ShopifyResource;
  filters: ListFilters;
  root: Projector;
  children: { field: string; project: Projector }[];
}

export interface BulkOperation {
  id: number;
  status: BulkStatus;
  query: string;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number;
  url: string | null;
  cancelRequested: boolean;
  /** Whether each nested object's line follows its parent's (bulkOperationRunQuery's groupObjects). */
  grouped: boolean;
  plan: BulkPlan;
  snapshot: Dataset;
}

interface BulkState {
  operations: BulkOperation[];
}

const states = new WeakMap<SandboxAccount, BulkState>();
let nextOperationId = 4_100_000_000;
const URL_KEY = randomBytes(32);

export function bulkState(account: SandboxAccount): BulkState {
  let state = states.get(account);
  if (!state) states.set(account, (state = { operations: [] }));
  return state;
}

function transition(operation: BulkOperation, to: BulkStatus): void {
  if (!BULK_TRANSITIONS[operation.status].includes(to)) throw new Error(`A bulk operation cannot go from ${operation.status} to ${to}`);
  operation.status = to;
}

export function bulkOperationObject(operation: BulkOperation): GraphqlObject {
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", operation.id),
    status: operation.status,
    type: "QUERY",
    errorCode: null,
    createdAt: dateTime(operation.createdAt),
    completedAt: operation.completedAt === null ? null : dateTime(operation.completedAt),
    objectCount: String(operation.objectCount),
    rootObjectCount: String(operation.rootObjectCount),
    fileSize: operation.status === "COMPLETED" && operation.url !== null ? String(operation.fileSize) : null,
    url: operation.status === "COMPLETED" ? operation.url : null,
    partialDataUrl: null,
    query: operation.query,
  };
}

type UserError = { code: "INVALID" | "LIMIT_REACHED" | "OPERATION_IN_PROGRESS"; field: string[] | null; message: string };

/** bulkOperationRunQuery: a new operation, or the user errors Shopify gives instead. */
export function runBulkQuery(
  query: string,
  groupObjects: boolean,
  context: HandlerContext,
  request: SandboxRequest,
  version: string,
): { bulkOperation: GraphqlObject | null; userErrors: UserError[] } {
  const plan = planBulkQuery(query);
  if ("message" in plan) return { bulkOperation: null, userErrors: [{ code: "INVALID", field: ["query"], message: plan.message }] };
  const { account } = context;
  const state = bulkState(account);
  const running = state.operations.filter((operation) => !isFinalBulkStatus(operation.status));
  const limit = version >= "2026-01" ? 5 : 1;
  if (running.length >= limit) {
    const userError: UserError =
      limit === 1
        ? {
            code: "OPERATION_IN_PROGRESS",
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running[0].id)}.`,
          }
        : { code: "LIMIT_REACHED", field: null, message: "Bulk operations limit reached. Please try again later." };
    return { bulkOperation: null, userErrors: [userError] };
  }
  const now = account.dataset.now();
  const snapshot = new Dataset(account.dataset.shape, SHOPIFY_OBJECTS, () => now);
  snapshot.restore(account.dataset.snapshot());
  const operation: BulkOperation = {
    id: nextOperationId++,
    status: "CREATED",
    query,
    createdAt: now,
    completedAt: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: 0,
    url: null,
    cancelRequested: false,
    // The argument's default changed to false in 2026-01, the schema's default here.
    grouped: groupObjects,
    plan,
    snapshot,
  };
  state.operations.push(operation);
  const created = bulkOperationObject(operation);
  const signature = createHmac("sha256", URL_KEY).update(`${account.id}/${operation.id}`).digest("base64url");
  const url = `${request.baseUrl}/bulk-operation-results/${operation.id}.jsonl?signature=${signature}`;
  const pace = account.rateLimited ? BULK_ROOTS_PER_SECOND * account.rateLimitScale : null;
  run(operation, url, pace, () => notifyFinished(operation, context, version));
  return { bulkOperation: created, userErrors: [] };
}

/** bulkOperationCancel: a running operation goes CANCELING, then CANCELED at the run's next step. */
export function cancelBulkOperation(
  id: string,
  account: SandboxAccount,
): { bulkOperation: GraphqlObject | null; userErrors: { field: string[] | null; message: string }[] } {
  const operation = findOperation(account, id);
  if (!operation) return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
  if (isFinalBulkStatus(operation.status) || operation.status === "CANCELING") {
    return {
      bulkOperation: bulkOperationObject(operation),
      userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}` }],
    };
  }
  operation.cancelRequested = true;
  transition(operation, "CANCELING");
  return { bulkOperation: bulkOperationObject(operation), userErrors: [] };
}

export function findOperation(account: SandboxAccount, id: string | number): BulkOperation | undefined {
  const numeric = typeof id === "number" ? id : Number(/^gid:\/\/shopify\/BulkOperation\/(\d+)$/.exec(id)?.[1]);
  return bulkState(account).operations.find((operation) => operation.id === numeric);
}

export function currentBulkOperation(account: SandboxAccount): GraphqlObject | null {
  const latest = bulkState(account).operations.at(-1);
  return latest ? bulkOperationObject(latest) : null;
}

/** Generates the lines once, counting, at the operation's pace; then completes it and calls `finished`. */
function run(operation: BulkOperation, url: string, rootsPerSecond: number | null, finished: () => void): void {
  const lines = jsonlLines(operation);
  const started = performance.now();
  const stop = (status: BulkStatus) => {
    transition(operation, status);
    operation.completedAt = operation.snapshot.now() > operation.createdAt ? operation.snapshot.now() : Date.now();
    finished();
  };
  const step = () => {
    if (operation.cancelRequested) return stop("CANCELED");
    if (operation.status === "CREATED") transition(operation, "RUNNING");
    const sliceEnd = performance.now() + 15;
    while (performance.now() < sliceEnd) {
      const next = lines.next();
      if (next.done) {
        operation.url = operation.objectCount > 0 ? url : null;
        return stop("COMPLETED");
      }
      operation.objectCount++;
      if (next.value.root) operation.rootObjectCount++;
      operation.fileSize += Buffer.byteLength(next.value.line);
      if (rootsPerSecond !== null) {
        const ahead = operation.rootObjectCount / rootsPerSecond - (performance.now() - started) / 1000;
        if (ahead > 0) return void setTimeout(step, ahead * 1000).unref();
      }
    }
    setImmediate(step);
  };
  setImmediate(step);
}

function notifyFinished(operation: BulkOperation, context: HandlerContext, version: string): void {
  const body = JSON.stringify({
    admin_graphql_api_id: gid("BulkOperation", operation.id),
    completed_at: operation.completedAt === null ? null : dateTime(operation.completedAt),
    created_at: dateTime(operation.createdAt),
    error_code: null,
    status: operation.status.toLowerCase(),
    type: "query",
  });
  context.notify({ topic: "bulk_operations/finish", sign: (secret) => shopifyWebhook("bulk_operations/finish", body, secret, context.account.id, version) });
}

/**
 * The file's lines, in id order of the top-level objects: grouped, each followed by its nested
 * objects; ungrouped, each block of 250 top-level objects followed by all their nested objects.
 */
export function* jsonlLines(operation: BulkOperation): Generator<{ line: string; root: boolean }> {
  const { plan, snapshot } = operation;
  const source = liveSource(snapshot, 20_000);
  let after: number | undefined;
  for (;;) {
    const page = scanForward(snapshot, plan.resource, plan.filters, after, 250);
    const held: string[] = [];
    for (const record of page) {
      const node = toNode(record, source);
      yield { line: `${JSON.stringify(plan.root(node))}\n`, root: true };
      for (const child of plan.children) {
        const field = node[child.field];
        if (typeof field !== "function") continue;
        const connection = (field as (args: Record<string, unknown>) => Connection)({});
        for (const element of connection.nodes) {
          const line = `${JSON.stringify({ ...child.project(element as GraphqlObject), __parentId: node.id })}\n`;
          if (operation.grouped) yield { line, root: false };
          else held.push(line);
        }
      }
    }
    for (const line of held) yield { line, root: false };
    if (page.length < 250) return;
    after = page[page.length - 1].id;
  }
}

/** The plan of a bulk query, or why Shopify would refuse it. */
export function planBulkQuery(query: string): BulkPlan | { message: string } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { message: `Invalid bulk query: ${error instanceof Error ? error.message : String(error)}` };
  }
  const errors = validate(ADMIN_SCHEMA, document);
  if (errors.length > 0) return { message: `Invalid bulk query: ${errors.map((e) => e.message).join("; ")}` };
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation !== "query") return { message: "Bulk queries must contain exactly one query operation." };
  if (document.definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION))
    return { message: "Fragments are not supported by the sandbox's bulk queries: inline the fields." };
  const top = operations[0].selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== "__typename");
  if (top.length !== 1 || operations[0].selectionSet.selections.some((s) => s.kind !== Kind.FIELD))
    return { message: "Queries that contain more than one top level field are not supported." };
  const field = top[0];
  const name = field.name.value;
  if (name === "node" || name === "nodes") return { message: "The top-level `node` and `nodes` fields are not supported." };
  const root = BULK_ROOTS[name];
  const rootField = ADMIN_SCHEMA.getQueryType()!.getFields()[name];
  if (!isConnectionTypeName(getNamedType(rootField.type).name)) return { message: "Bulk queries must contain at least one connection." };
  if (!root) return { message: `The sandbox does not run bulk queries on \`${name}\`.` };

  const args = Object.fromEntries((field.arguments ?? []).map((a) => [a.name.value, a.value.kind === Kind.STRING ? a.value.value : null]));
  const search = parseSearch(root.resource, typeof args.query === "string" ? args.query : null);
  const nodeSelection = elementSelection(field.selectionSet);
  if (!nodeSelection) return { message: "Bulk queries must select the connection's edges { node } or nodes." };
  const type = ADMIN_SCHEMA.getType(root.type) as GraphQLObjectType;
  const children: BulkPlan["children"] = [];
  const kept = [];
  for (const selection of nodeSelection.selections) {
    if (selection.kind !== Kind.FIELD) return { message: "Fragments are not supported by the sandbox's bulk queries: inline the fields." };
    const childField = type.getFields()[selection.name.value];
    const childType = childField ? getNamedType(childField.type) : null;
    if (!childType || !isConnectionTypeName(childType.name) || !isObjectType(childType)) {
      kept.push(selection);
      continue;
    }
    const childSelection = elementSelection(selection.selectionSet);
    if (!childSelection) return { message: `The nested connection \`${selection.name.value}\` must select edges { node } or nodes.` };
    if (containsConnection(childSelection, getNamedType(childType.getFields().nodes.type) as GraphQLObjectType)) {
      return { message: `Bulk queries cannot nest connections more than ${MAX_BULK_NESTING} levels deep.` };
    }
    const elementType = getNamedType(childType.getFields().nodes.type) as GraphQLObjectType;
    children.push({ field: selection.name.value, project: compileProjection(ADMIN_SCHEMA, elementType, childSelection) });
  }
  if (children.length + 1 > MAX_BULK_CONNECTIONS) return { message: `Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.` };
  const rootSelection: SelectionSetNode = { ...nodeSelection, selections: kept };
  return { resource: root.resource, filters: search.filters, root: compileProjection(ADMIN_SCHEMA, type, rootSelection), children };
}

/** edges { node { … } } or nodes { … } of a connection's selection. */
function elementSelection(selectionSet: SelectionSetNode | undefined): SelectionSetNode | null {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue;
    if (selection.name.value === "nodes" && selection.selectionSet) return selection.selectionSet;
    if (selection.name.value === "edges") {
      for (const inner of selection.selectionSet?.selections ?? [])
        if (inner.kind === Kind.FIELD && inner.name.value === "node" && inner.selectionSet) return inner.selectionSet;
    }
  }
  return null;
}

function containsConnection(selectionSet: SelectionSetNode, type: GraphQLObjectType): boolean {
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = type.getFields()[selection.name.value];
    if (!field) continue;
    const named = getNamedType(field.type);
    if (isConnectionTypeName(named.name)) return true;
    if (isObjectType(named) && selection.selectionSet && containsConnection(selection.selectionSet, named)) return true;
  }
  return false;
}

/**
 * GET {account}/bulk-operation-results/{id}.jsonl?signature=…: the file, streamed as it is generated;
 * with `Range: bytes=N-` (or N-M), 206 and those bytes, as cloud storage answers.
 */
export function serveBulkResult(request: SandboxRequest, context: OAuthContext): SandboxResponse | null {
  const match = /^\/([a-z0-9][a-z0-9-]*)\/bulk-operation-results\/(\d+)\.jsonl$/.exec(request.path);
  if (!match || request.method !== "GET") return null;
  const [, shop, id] = match;
  const account = context.account(shop);
  const operation = account ? findOperation(account, Number(id)) : undefined;
  const expected = createHmac("sha256", URL_KEY).update(`${shop}/${id}`).digest("base64url");
  if (!operation || request.query.get("signature") !== expected || operation.status !== "COMPLETED") {
    return {
      status: 403,
      headers: { "Content-Type": "application/xml" },
      body: "<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Access denied.</Message></Error>",
    };
  }
  const size = operation.fileSize;
  const range = byteRange(request.headers.range, size);
  if (range === "unsatisfiable")
    return {
      status: 416,
      headers: { "Content-Range": `bytes */${size}`, "Content-Type": "application/xml" },
      body: "<?xml version='1.0' encoding='UTF-8'?><Error><Code>InvalidRange</Code><Message>The requested range cannot be satisfied.</Message></Error>",
    };
  const [start, end] = range ?? [0, size - 1];
  function* chunks(): Generator<Uint8Array> {
    let position = 0;
    let batch: Buffer[] = [];
    let batched = 0;
    for (const { line } of jsonlLines(operation!)) {
      const bytes = Buffer.from(line);
      const from = position;
      position += bytes.length;
      if (position <= start) continue;
      const piece = bytes.subarray(Math.max(0, start - from), Math.min(bytes.length, end + 1 - from));
      batch.push(piece);
      batched += piece.length;
      if (batched >= 64 * 1024) {
        yield Buffer.concat(batch);
        batch = [];
        batched = 0;
      }
      if (position > end) break;
    }
    if (batched > 0) yield Buffer.concat(batch);
  }
  const headers: Record<string, string> = { "Content-Type": "application/jsonl", "Content-Length": String(end + 1 - start), "Accept-Ranges": "bytes" };
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  return { status: range ? 206 : 200, headers, chunks: chunks() };
}

/** A single `bytes=N-`, `bytes=N-M` or `bytes=-N` range within a file of `size` bytes; null when none was asked. */
function byteRange(header: string | undefined, size: number): [number, number] | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 ? "unsatisfiable" : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  if (start >= size) return "unsatisfiable";
  return [start, match[2] === "" ? size - 1 : Math.min(size - 1, Number(match[2]))];
}
