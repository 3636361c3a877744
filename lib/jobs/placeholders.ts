// Placeholders in a sync job's query values (DESIGN.md section 4, after Truto's RapidBridge):
// - `{{resources.<category>.<object>.<field>}}`: a field of the current record of an ancestor resource
//   (one request per parent record); `<field>` may be a dotted path into the record;
// - `{{previous_run_date}}`: when the previous completed run of the same job and connection started
//   (incremental runs); with no such run, or `ignore_previous_run`, the query parameter is left out;
// - `{{args.<name>}}`: an argument of the run, declared in the job's `args_schema`.
// A value may be one placeholder (its value keeps its type) or text around placeholders. A proxy
// resource's path takes them too, each as one percent-encoded segment (resolvePath).

export type Placeholder =
  | { kind: "resource"; resource: string; field: string; raw: string }
  | { kind: "previous_run_date"; raw: string }
  | { kind: "args"; name: string; path: string[]; raw: string };

const TOKEN = /\{\{\s*([^{}]*?)\s*\}\}/g;
const RESOURCE = /^resources\.([a-z_]+)\.([a-z_]+)\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)$/;
const ARGS = /^args\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)$/;

export class PlaceholderError extends Error {}

/** Every placeholder in a string; throws PlaceholderError naming one that is not understood. */
export function parsePlaceholders(value: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of value.matchAll(TOKEN)) {
    const body = match[1];
    const raw = match[0];
    if (body === "previous_run_date") {
      found.push({ kind: "previous_run_date", raw });
      continue;
    }
    const resource = RESOURCE.exec(body);
    if (resource) {
      found.push({ kind: "resource", resource: `${resource[1]}/${resource[2]}`, field: resource[3], raw });
      continue;
    }
    const args = ARGS.exec(body);
    if (args) {
      found.push({ kind: "args", name: args[1], path: args[2] ? args[2].slice(1).split(".") : [], raw });
      continue;
    }
    throw new PlaceholderError(`"${raw}" is not a placeholder: use {{resources.<category>.<object>.<field>}}, {{previous_run_date}} or {{args.<name>}}`);
  }
  const stray = value.replace(TOKEN, "");
  if (stray.includes("{{") || stray.includes("}}")) throw new PlaceholderError(`"${value}" has an unclosed placeholder`);
  return found;
}

/** What placeholders resolve against while a run walks its resources. */
export interface PlaceholderScope {
  args: Record<string, unknown>;
  /** ISO date-time, or null (first run, or ignore_previous_run). */
  previousRunDate: string | null;
  /** The current record of each ancestor resource, by resource name (`ticketing/tickets`). */
  records: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** loop_on: the current element, replacing the value of the placeholder looped on. */
  loop?: { raw: string; value: unknown };
}

function dig(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function placeholderValue(placeholder: Placeholder, scope: PlaceholderScope): unknown {
  if (scope.loop && scope.loop.raw.replace(/\s+/g, "") === placeholder.raw.replace(/\s+/g, "")) return scope.loop.value;
  switch (placeholder.kind) {
    case "previous_run_date":
      return scope.previousRunDate;
    case "args":
      return dig(scope.args[placeholder.name], placeholder.path);
    case "resource":
      return dig(scope.records[placeholder.resource], placeholder.field.split("."));
  }
}

/**
 * A query value with its placeholders replaced. Undefined when a placeholder has no value (a missing
 * optional argument, no previous run, a parent record without the field): the caller leaves the
 * parameter out, or skips the request when the missing value came from a parent record.
 */
export function resolveValue(value: unknown, scope: PlaceholderScope): { value: unknown; missing: Placeholder | null } {
  if (typeof value !== "string") return { value, missing: null };
  const placeholders = parsePlaceholders(value);
  if (placeholders.length === 0) return { value, missing: null };
  const whole = placeholders.length === 1 && value.trim() === placeholders[0].raw;
  let missing: Placeholder | null = null;
  const valueOf = (placeholder: Placeholder) => {
    const resolved = placeholderValue(placeholder, scope);
    if (resolved === undefined || resolved === null) missing ??= placeholder;
    return resolved;
  };
  if (whole) {
    const resolved = valueOf(placeholders[0]);
    return { value: missing ? undefined : resolved, missing };
  }
  let index = 0;
  const text = value.replace(TOKEN, () => {
    const resolved = valueOf(placeholders[index++]);
    return typeof resolved === "object" ? JSON.stringify(resolved) : String(resolved);
  });
  return { value: missing ? undefined : text, missing };
}

/**
 * A proxy resource's path with its placeholders replaced, each value percent-encoded as one path
 * segment (a value cannot add segments or leave the API). Null, with the placeholder, when one has no value.
 */
export function resolvePath(path: string, scope: PlaceholderScope): { path: string | null; missing: Placeholder | null } {
  const placeholders = parsePlaceholders(path);
  let index = 0;
  let missing: Placeholder | null = null;
  const resolved = path.replace(TOKEN, () => {
    const placeholder = placeholders[index++];
    const value = placeholderValue(placeholder, scope);
    if (value === undefined || value === null) missing ??= placeholder;
    return encodeURIComponent(typeof value === "object" ? JSON.stringify(value) : String(value));
  });
  return missing ? { path: null, missing } : { path: resolved, missing: null };
}
