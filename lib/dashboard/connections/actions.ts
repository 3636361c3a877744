"use server";

// The connection page's actions: sync now, backfill, disable, re-enable, delete, a new access token. Each checks the
// session and that the connection is in the member's organization and environment, then calls the
// sync engine's own operation (the same ones the REST API calls) and answers a sentence to show.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { hasRole, requireContext, type RequestContext } from "@/lib/auth/context";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format";
import { getPlatform } from "@/lib/platforms/catalog";
import { deleteConnection, disableConnection, enableConnection, issueAccessToken } from "@/lib/sync/connections";
import { getEngine } from "@/lib/sync/engine";
import { requestBackfill, requestSync, SyncRequestError } from "@/lib/sync/planner";
import { backfillInput, type ActionResult, type BackfillInput } from "./schema";
import { objectKeys } from "@/lib/platforms/definition";
import { formFieldErrors } from "@/lib/input/issues";

type Refused = Extract<ActionResult, { ok: false }>;

const NOT_ALLOWED: Refused = { ok: false, message: "Only owners and admins can change connections." };
const NOT_FOUND: Refused = { ok: false, message: "This connection no longer exists here (it may have been deleted, or belong to the other environment)." };

type Guarded = { context: RequestContext; connection: { id: string; platform: string; accountName: string | null; platformAccountId: string | null } };

/** The member may act and the connection is theirs, or the answer to give instead. */
async function guard(id: string): Promise<Guarded | Refused> {
  const context = await requireContext();
  if (!hasRole(context, "admin")) return NOT_ALLOWED;
  const connection = await context.db.connection.findFirst({
    where: { id: String(id), deletedAt: null },
    select: { id: true, platform: true, accountName: true, platformAccountId: true },
  });
  return connection ? { context, connection } : NOT_FOUND;
}

function failed(error: unknown, action: string): Refused {
  if (error instanceof SyncRequestError) {
    if (error.code === "CONNECTION_NOT_FOUND") return NOT_FOUND;
    if (error.code === "CONNECTION_NOT_SYNCING") return { ok: false, message: `${error.message}. Re-enable or re-link it first.` };
    return {
      ok: false,
      message: error.message,
      fieldErrors: Object.fromEntries(error.problems.map((problem) => [problem.path.replace(/\[\d+\]$/, ""), problem.message])),
    };
  }
  console.error(action, error);
  return { ok: false, message: "That did not work. Try again in a moment." };
}

export async function syncNowAction(id: string): Promise<ActionResult> {
  const guarded = await guard(id);
  if (!("context" in guarded)) return guarded;
  try {
    const queued = await requestSync(getEngine(), guarded.connection.id);
    revalidatePath(`/connections/${guarded.connection.id}`);
    if (!queued) return { ok: true, message: "Nothing to start: the next batch will begin as soon as the one before it ends." };
    return { ok: true, message: queued.created ? "Sync queued: it starts as soon as a worker is free." : "A sync is already queued for this connection." };
  } catch (error) {
    return failed(error, "syncNowAction");
  }
}

export async function backfillAction(id: string, input: BackfillInput): Promise<ActionResult> {
  const guarded = await guard(id);
  if (!("context" in guarded)) return guarded;
  const parsed = backfillInput.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = formFieldErrors(parsed.error, (key) => key || "form") as Record<string, string>;
    return { ok: false, message: "Check the highlighted fields.", fieldErrors };
  }
  try {
    await requestBackfill(getEngine(), guarded.connection.id, parsed.data);
    revalidatePath(`/connections/${guarded.connection.id}`);
    const { start, end } = parsed.data;
    // Named in the order they are fetched (dependencies first), as the run lists them.
    const platform = getPlatform(guarded.connection.platform);
    const objects = (platform ? objectKeys(platform) : []).filter((object) => parsed.data.objects.includes(object));
    const window = start || end ? ` from ${start ? formatDateTime(start) : "the beginning"} to ${end ? formatDateTime(end) : "now"}` : "";
    return { ok: true, message: `Backfill of ${objects.join(", ")}${window} queued. Incremental syncs are paused until it ends.` };
  } catch (error) {
    return failed(error, "backfillAction");
  }
}

export async function disableAction(id: string): Promise<ActionResult> {
  const guarded = await guard(id);
  if (!("context" in guarded)) return guarded;
  try {
    await disableConnection(getDb(), guarded.connection.id);
    revalidatePath(`/connections/${guarded.connection.id}`);
    return { ok: true, message: "Connection disabled: queued syncs were cancelled and no new ones will start." };
  } catch (error) {
    return failed(error, "disableAction");
  }
}

export async function enableAction(id: string): Promise<ActionResult> {
  const guarded = await guard(id);
  if (!("context" in guarded)) return guarded;
  try {
    await enableConnection(getDb(), guarded.connection.id);
    revalidatePath(`/connections/${guarded.connection.id}`);
    return { ok: true, message: "Connection re-enabled: it syncs again now." };
  } catch (error) {
    return failed(error, "enableAction");
  }
}

/** A new access token, shown once in the answer (Tributary keeps its hash); the previous one stops working. */
export async function issueAccessTokenAction(id: string): Promise<ActionResult<{ accessToken: string }>> {
  const guarded = await guard(id);
  if (!("context" in guarded)) return guarded;
  try {
    const accessToken = await issueAccessToken(getDb(), guarded.connection.id);
    revalidatePath(`/connections/${guarded.connection.id}`);
    return { ok: true, message: "New access token issued: the previous one no longer works.", accessToken };
  } catch (error) {
    return failed(error, "issueAccessTokenAction");
  }
}

/** The name a member types to confirm a deletion: what the page's title shows. */
function confirmationName(connection: Guarded["connection"]): string {
  return connection.accountName ?? connection.platformAccountId ?? connection.id;
}

export async function deleteAction(id: string, typed: string): Promise<ActionResult> {
  const guarded = await guard(id);
  if (!("context" in guarded)) return guarded;
  const expected = confirmationName(guarded.connection);
  if (String(typed).trim() !== expected)
    return { ok: false, message: "The name does not match.", fieldErrors: { confirmation: `Type ${expected} exactly to confirm.` } };
  try {
    await deleteConnection(getDb(), guarded.connection.id);
  } catch (error) {
    return failed(error, "deleteAction");
  }
  revalidatePath("/connections");
  redirect(`/connections?deleted=${encodeURIComponent(expected)}`);
}
