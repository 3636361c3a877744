"use server";
// The Webhooks pages' writes. Each checks the session and the member's role itself, finds the endpoint
// or delivery through the tenant-scoped client (another organization's reads as missing), then calls
// the library that the REST API calls too.
import { revalidatePath } from "next/cache";
import { ApiError } from "@/lib/api/errors";
import { checkEndpoint, updateEndpoint } from "@/lib/api/webhooks";
import { hasRole, requireContext, type RequestContext } from "@/lib/auth/context";
import { memberAction, refusal } from "@/lib/dashboard/action";
import { getDb } from "@/lib/db/client";
import { countFailedDeliveries } from "@/lib/presenters/webhooks";
import { createEndpoint, InvalidEndpointError, rotateSecret, type EndpointInput } from "@/lib/webhooks/endpoints";
import { disableEndpoint, enableEndpoint, replayFailed, resendDelivery, sendTestEvent } from "@/lib/webhooks/replay";
import { retryNow } from "@/lib/webhooks/retry-now";
import { fieldErrorsOf, formValues, parseEndpointForm, type ActionResult, type EndpointFormState, type EndpointFormValues } from "./schema";

const ENDPOINTS = { role: "admin", may: "change webhook endpoints" } as const;
const NOT_ALLOWED = refusal(ENDPOINTS.role, ENDPOINTS.may);
const GONE = "This endpoint no longer exists in this environment.";

function revalidate(id?: string) {
  revalidatePath("/webhooks");
  if (id) revalidatePath(`/webhooks/${id}`);
  revalidatePath("/");
}

async function admin(): Promise<RequestContext | null> {
  const context = await requireContext();
  return hasRole(context, ENDPOINTS.role) ? context : null;
}

async function ownEndpoint(context: RequestContext, id: string): Promise<boolean> {
  return Boolean(await context.db.webhookEndpoint.findFirst({ where: { id }, select: { id: true } }));
}

/** Validation problems from the library as form state; anything else is unexpected and rethrown. */
function invalidState(error: unknown, values: EndpointFormValues, input: EndpointInput): EndpointFormState {
  if (error instanceof InvalidEndpointError) return { status: "invalid", values, fieldErrors: fieldErrorsOf(error.problems, input) };
  if (error instanceof ApiError && error.field) {
    return { status: "invalid", values, fieldErrors: fieldErrorsOf([{ path: error.field, message: error.message.replace(`${error.field}: `, "") }], input) };
  }
  throw error;
}

export async function createEndpointAction(_previous: EndpointFormState, data: FormData): Promise<EndpointFormState> {
  const values = formValues(data);
  const context = await admin();
  if (!context) return { status: "failed", values, message: NOT_ALLOWED };
  const parsed = parseEndpointForm(values);
  if (!parsed.ok) return { status: "invalid", values, fieldErrors: parsed.fieldErrors };
  try {
    checkEndpoint(parsed.input);
    const { id, secret } = await createEndpoint(getDb(), { organizationId: context.organization.id, environment: context.environment }, parsed.input);
    revalidate();
    return { status: "created", endpoint: { id, url: parsed.input.url, secret } };
  } catch (error) {
    try {
      return invalidState(error, values, parsed.input);
    } catch {
      console.error("createEndpointAction", error);
      return { status: "failed", values, message: "The endpoint could not be created. Try again in a moment." };
    }
  }
}

export async function updateEndpointAction(id: string, _previous: EndpointFormState, data: FormData): Promise<EndpointFormState> {
  const values = formValues(data);
  const context = await admin();
  if (!context) return { status: "failed", values, message: NOT_ALLOWED };
  const parsed = parseEndpointForm(values);
  if (!parsed.ok) return { status: "invalid", values, fieldErrors: parsed.fieldErrors };
  const db = getDb();
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id, organizationId: context.organization.id, environment: context.environment } });
  if (!endpoint) return { status: "failed", values, message: GONE };
  const { input } = parsed;
  try {
    await updateEndpoint(db, endpoint, {
      url: input.url,
      description: input.description ?? null,
      event_types: input.eventTypes,
      retry_schedule: input.retrySchedule,
      timeout_ms: input.timeoutMs,
      ordering_wait_seconds: input.orderingWaitSeconds,
    });
    revalidate(id);
    return { status: "saved", id };
  } catch (error) {
    try {
      return invalidState(error, values, input);
    } catch {
      console.error("updateEndpointAction", error);
      return { status: "failed", values, message: "The endpoint could not be saved. Try again in a moment." };
    }
  }
}

/** Runs `act` on one of the member's endpoints, answering a message the page can show on failure. */
async function onEndpoint<T extends object>(id: string, what: string, act: (context: RequestContext) => Promise<T>): Promise<ActionResult<T>> {
  return memberAction<T>({ ...ENDPOINTS, name: what, failed: `Could not ${what}.` }, async (context) => {
    if (!(await ownEndpoint(context, id))) return { ok: false, message: GONE };
    const result = await act(context);
    revalidate(id);
    return { ok: true, ...result };
  });
}

export async function rotateSecretAction(id: string): Promise<ActionResult<{ secret: string; previousExpiresAt: string }>> {
  return onEndpoint(id, "rotate the secret", async () => {
    const { secret, previousExpiresAt } = await rotateSecret(getDb(), id);
    return { secret, previousExpiresAt: previousExpiresAt.toISOString() };
  });
}

export async function sendTestEventAction(id: string): Promise<ActionResult<{ deliveryId: string }>> {
  return onEndpoint(id, "send a test event", async () => ({ deliveryId: await sendTestEvent(getDb(), id) }));
}

export async function disableEndpointAction(id: string): Promise<ActionResult> {
  return onEndpoint(id, "disable the endpoint", async (context) => {
    await disableEndpoint(getDb(), id, `Disabled by ${context.user.name || context.user.email}`);
    return {};
  });
}

export async function enableEndpointAction(id: string): Promise<ActionResult<{ queued: number }>> {
  return onEndpoint(id, "enable the endpoint", async () => ({ queued: await enableEndpoint(getDb(), id) }));
}

export async function deleteEndpointAction(id: string): Promise<ActionResult> {
  return onEndpoint(id, "delete the endpoint", async (context) => {
    // Its deliveries and their attempts go with it (cascade), as with the API's DELETE.
    await context.db.webhookEndpoint.deleteMany({ where: { id } });
    return {};
  });
}

export async function resendDeliveryAction(deliveryId: string): Promise<ActionResult> {
  return memberAction({ ...ENDPOINTS, name: "resendDeliveryAction", failed: "Could not resend the delivery." }, async (context) => {
    const delivery = await context.db.delivery.findFirst({ where: { id: deliveryId }, select: { id: true, endpointId: true } });
    if (!delivery) return { ok: false, message: "This delivery no longer exists." };
    await resendDelivery(getDb(), delivery.id);
    revalidate(delivery.endpointId);
    return { ok: true };
  });
}

/** Makes a delivery waiting for its next attempt due now (lib/webhooks/retry-now.ts says what it refuses). */
export async function retryNowAction(endpointId: string, deliveryId: string): Promise<ActionResult> {
  return memberAction({ ...ENDPOINTS, name: "retryNowAction", failed: "Could not retry the delivery." }, async (context) => {
    const result = await retryNow(getDb(), { organizationId: context.organization.id, environment: context.environment, endpointId }, deliveryId);
    if (!result.ok) return { ok: false, message: result.code === "DELIVERY_NOT_FOUND" ? "This delivery no longer exists." : result.message };
    revalidate(endpointId);
    return { ok: true };
  });
}

/** The replay window from the page's ISO instants, or the problem naming its field as the page labels it. */
function window(from: string, to: string): { ok: true; from: Date; to: Date } | { ok: false; message: string } {
  const start = new Date(from);
  const end = new Date(to);
  if (Number.isNaN(start.getTime())) return { ok: false, message: "Created from: not a date and time" };
  if (Number.isNaN(end.getTime())) return { ok: false, message: "To: not a date and time" };
  if (start >= end) return { ok: false, message: "To: must be after Created from" };
  return { ok: true, from: start, to: end };
}

/** How many failed deliveries a replay of this window would queue, for the confirmation. */
export async function countReplayAction(id: string, from: string, to: string): Promise<ActionResult<{ count: number }>> {
  const range = window(from, to);
  if (!range.ok) return range;
  const context = await requireContext();
  if (!(await ownEndpoint(context, id))) return { ok: false, message: GONE };
  return { ok: true, count: await countFailedDeliveries(context.db, id, range) };
}

export async function replayFailedAction(id: string, from: string, to: string): Promise<ActionResult<{ queued: number }>> {
  const range = window(from, to);
  if (!range.ok) return range;
  return onEndpoint(id, "replay failed deliveries", async () => ({ queued: await replayFailed(getDb(), id, range) }));
}
