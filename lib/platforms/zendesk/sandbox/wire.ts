// Zendesk Support API v2 wire details shared by the list, show, export and write handlers: timestamps,
// resource JSON, error bodies and opaque cursors.
import type { StoredRecord } from "@/lib/sandbox/dataset";
import { json, type SandboxResponse } from "@/lib/sandbox/http";

export type ZendeskObject = "organizations" | "users" | "tickets";
export const ZENDESK_OBJECT_NAMES: readonly ZendeskObject[] = ["organizations", "users", "tickets"];

export function isZendeskObject(name: string): name is ZendeskObject {
  return (ZENDESK_OBJECT_NAMES as readonly string[]).includes(name);
}

/** Zendesk renders times in UTC to the second: "2024-10-01T12:00:00Z". */
export function zendeskTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Where a ticket keeps what the Support API added to it (comments, audit count; see comments.ts): in the
 * record's data, so it persists and survives with the ticket, and never rendered as a ticket field.
 */
export const API_HISTORY_FIELD = "sandbox_api_history";

/**
 * A record as Zendesk serializes it. Deleted records only reach clients through the incremental
 * exports, which mark them the documented way: tickets with status "deleted", users with
 * active: false, organizations with deleted_at.
 */
export function zendeskRecordJson(record: StoredRecord, baseUrl?: string): Record<string, unknown> {
  const deleted = record.deletedAt !== null;
  const out: Record<string, unknown> = {};
  if (baseUrl !== undefined) out.url = `${baseUrl}/api/v2/${record.object}/${record.id}.json`;
  out.id = record.id;
  Object.assign(out, record.data);
  delete out[API_HISTORY_FIELD];
  out.created_at = zendeskTime(record.createdAt);
  out.updated_at = zendeskTime(record.updatedAt);
  switch (record.object) {
    case "tickets":
      out.generated_timestamp = Math.floor(record.updatedAt / 1000);
      if (deleted) out.status = "deleted";
      break;
    case "users":
      if (deleted) out.active = false;
      break;
    case "organizations":
      out.deleted_at = deleted ? zendeskTime(record.deletedAt!) : null;
      break;
  }
  return out;
}

/** Zendesk's error body for v2 endpoints: `{ error, description }`. */
export function zendeskError(status: number, error: string, description: string): SandboxResponse {
  return json(status, { error, description });
}

export const notFound = (): SandboxResponse => zendeskError(404, "RecordNotFound", "Not found");

/** One problem with one field of a write, as Zendesk words it: "Status: closed prevents ticket update". */
export interface FieldError {
  description: string;
  error: string;
}

/**
 * A write Zendesk refuses as invalid: 422 `{ error: "RecordInvalid", description: "Record validation
 * errors", details: { <field>: [{ description, error }] } }`, `base` holding what belongs to no one field.
 */
export function recordInvalid(details: Record<string, FieldError[]>): SandboxResponse {
  return json(422, { error: "RecordInvalid", description: "Record validation errors", details });
}
export const unknownEndpoint = (): SandboxResponse => zendeskError(404, "InvalidEndpoint", "Not found");

/** A query parameter that failed to parse, with the response that names it. */
export class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    message: string,
    readonly code = "InvalidValue",
  ) {
    super(message);
    this.name = "BadParameter";
  }

  response(): SandboxResponse {
    return zendeskError(400, this.code, this.message);
  }
}

/** An optional whole-number parameter in [min, max]; undefined when absent. */
export function intParam(query: URLSearchParams, name: string, min: number, max: number, code = "InvalidValue"): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new BadParameter(name, `${name} must be an integer from ${min} to ${max}`, code);
  return value;
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "false" || raw === "0") return false;
  if (raw === "true" || raw === "1") return true;
  throw new BadParameter(name, `${name} must be true or false`);
}

/** Cursors are opaque to clients: base64url of a small JSON array of integers. */
export function encodeCursor(values: number[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(parameter: string, raw: string, length: number, code = "InvalidPaginationParameter"): number[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== length || !values.every((v) => Number.isSafeInteger(v) && v >= 0)) {
    throw new BadParameter(parameter, `${parameter} is not a valid cursor`, code);
  }
  return values as number[];
}

/** An absolute URL on this account's API with the given query. */
export function apiUrl(baseUrl: string, path: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  return `${baseUrl}${path}?${query.toString()}`;
}
