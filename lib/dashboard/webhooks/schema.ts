// What the dashboard's endpoint form sends, parsed once on the server, and what the actions answer.
// The rules themselves (URL, event patterns, retry schedule, timeout, ordering wait, destination) are the library's
// (lib/webhooks/endpoints.ts validateEndpoint, lib/api/webhooks.ts checkEndpoint); this only turns
// form fields into its input and its field paths back into form fields.
import { z } from "zod";
import { DEFAULT_ORDERING_WAIT_SECONDS, MAX_URL_LENGTH, type EndpointInput, type FieldProblem } from "@/lib/webhooks/endpoints";
import { formFieldErrors } from "@/lib/input/issues";

export const ENDPOINT_FIELDS = ["url", "description", "event_types", "retry_schedule", "timeout_ms", "ordering_wait_seconds"] as const;
export type EndpointField = (typeof ENDPOINT_FIELDS)[number];
export type FieldErrors = Partial<Record<EndpointField, string>>;

export interface EndpointFormValues {
  url: string;
  description: string;
  eventTypes: string[];
  retrySchedule: string;
  timeoutSeconds: string;
  orderingWaitSeconds: string;
}

const form = z.object({
  url: z
    .string()
    .trim()
    .min(1, "Enter the URL that will receive events, such as https://example.com/webhooks.")
    .max(MAX_URL_LENGTH, `Keep the URL to ${MAX_URL_LENGTH.toLocaleString("en-US")} characters or fewer.`),
  description: z.string().trim().max(200, "Keep the description to 200 characters or fewer."),
  eventTypes: z.array(z.string().trim().min(1)),
  retrySchedule: z
    .string()
    .trim()
    .refine((text) => text === "" || /^\d+(\s*,\s*\d+)*$/.test(text), "List whole seconds separated by commas, such as 0, 5, 300."),
  timeoutSeconds: z
    .string()
    .trim()
    .refine((text) => text === "" || /^\d+$/.test(text), "Enter a whole number of seconds."),
  orderingWaitSeconds: z
    .string()
    .trim()
    .refine((text) => text === "" || /^\d+$/.test(text), "Enter a whole number of seconds, 0 to never hold events back."),
});

const FORM_TO_FIELD: Record<keyof EndpointFormValues, EndpointField> = {
  url: "url",
  description: "description",
  eventTypes: "event_types",
  retrySchedule: "retry_schedule",
  timeoutSeconds: "timeout_ms",
  orderingWaitSeconds: "ordering_wait_seconds",
};

export function formValues(data: FormData): EndpointFormValues {
  const text = (name: string) => (typeof data.get(name) === "string" ? String(data.get(name)) : "");
  return {
    url: text("url"),
    description: text("description"),
    eventTypes: data.getAll("event_types").filter((value): value is string => typeof value === "string"),
    retrySchedule: text("retry_schedule"),
    timeoutSeconds: text("timeout_seconds"),
    orderingWaitSeconds: text("ordering_wait_seconds"),
  };
}

/** The library's input, or the form's own problems by field. */
export function parseEndpointForm(values: EndpointFormValues): { ok: true; input: EndpointInput } | { ok: false; fieldErrors: FieldErrors } {
  const parsed = form.safeParse(values);
  if (!parsed.success) {
    return { ok: false, fieldErrors: formFieldErrors(parsed.error, (key) => FORM_TO_FIELD[key as keyof EndpointFormValues]) as FieldErrors };
  }
  const { url, description, eventTypes, retrySchedule, timeoutSeconds, orderingWaitSeconds } = parsed.data;
  return {
    ok: true,
    input: {
      url,
      description: description || null,
      eventTypes: [...new Set(eventTypes)],
      retrySchedule: retrySchedule ? retrySchedule.split(",").map((part) => Number(part.trim())) : [],
      timeoutMs: timeoutSeconds ? Number(timeoutSeconds) * 1000 : 15_000,
      orderingWaitSeconds: orderingWaitSeconds ? Number(orderingWaitSeconds) : DEFAULT_ORDERING_WAIT_SECONDS,
    },
  };
}

/** The library names fields like `event_types[2]` and `timeout_ms`: each problem goes next to its form field. */
export function fieldErrorsOf(problems: FieldProblem[], input?: EndpointInput): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const problem of problems) {
    const field = ENDPOINT_FIELDS.find((name) => problem.path === name || problem.path.startsWith(`${name}[`)) ?? "url";
    let message = problem.message;
    if (field === "timeout_ms") message = "must be from 1 to 60 seconds";
    const index = /\[(\d+)\]$/.exec(problem.path)?.[1];
    if (field === "retry_schedule" && index !== undefined && input?.retrySchedule) message = `${input.retrySchedule[Number(index)]} s ${message}`;
    fieldErrors[field] ??= capitalize(message);
  }
  return fieldErrors;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export type EndpointFormState =
  | { status: "idle" }
  | { status: "invalid"; values: EndpointFormValues; fieldErrors: FieldErrors }
  | { status: "failed"; values: EndpointFormValues; message: string }
  /** Created: the secret travels to the browser once, in this value, and is never read back. */
  | { status: "created"; endpoint: { id: string; url: string; secret: string } }
  | { status: "saved"; id: string };

export type { ActionResult } from "@/lib/dashboard/action";
