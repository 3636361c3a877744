"use server";

// The connection page's actions: sync now, backfill, disable, re-enable, delete, a new access token. Each checks the
// session and that the connection is in the member's organization and environment, then calls the
// sync engine's own operation (the same ones the REST API calls) and answers a sentence to show.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { memberAction, type ActionRefusal } from "@/lib/dashboard/action";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format";
import { getPlatform } from "@/lib/platforms/catalog";
import { deleteConnection, disableConnection, enableConnection, issueAccessToken } from "@/lib/sync/connections";
import { getEngine } from "@/lib/sync/engine";
import { requestBackfill, requestSync, SyncRequestError } from "@/lib/sync/planner";
import { backfillInput, type ActionResult, type BackfillInput } from "./schema";
import { objectKeys } from "@/lib/platforms/definition";
import { formFieldErrors } from "@/lib/input/issues";

type Refused = ActionRefusal;

const CONNECTIONS = { role: "admin", may: "change connections" } as const;
const NOT_FOUND: Refused = { ok: false, message: "This connection no longer exists here (it may have been deleted, or belong to the other environment)." };

type Connection = { id: string; platform: string; accountName: string | null; platformAccountId: string | null };

/** The engine's refusals as sentences; anything else is unexpected (memberAction logs it). */
function expected(error: unknown): Refused | undefined {
  if (!(error instanceof SyncRequestError)) return undefined;
  if (error.code === "CONNECTION_NOT_FOUND") return NOT_FOUND;
  if (error.code === "CONNECTION_NOT_SYNCING") return { ok: false, message: `${error.message}. Re-enable or re-link it first.` };
  return {
    ok: false,
    message: error.message,
    fieldErrors: Object.fromEntries(error.problems.map((problem) => [problem.path.replace(/\[\d+\]$/, ""), problem.message])),
  };
}

/** Runs `act` on one of the member's connections (in their organization and environment), once memberAction let them act. */
function onConnection<T extends object = object>(
  id: string,
  name: string,
  act: (connection: Connection) => Promise<ActionResult<NoInfer<T>>>,
): Promise<ActionResult<T>> {
  return memberAction<{ message: string } & T>({ ...CONNECTIONS, name, expected }, async (context) => {
    const connection = await context.db.connection.findFirst({
      where: { id: String(id), deletedAt: null },
      select: { id: true, platform: true, accountName: true, platformAccountId: true },
    });
    return connection ? act(connection) : NOT_FOUND;
  });
}

export async function syncNowAction(id: string): Promise<ActionResult> {
  return onConnection(id, "syncNowAction", async (connection) => {
    const queued = await requestSync(getEngine(), connection.id);
    revalidatePath(`/connections/${connection.id}`);
    if (!queued) return { ok: true, message: "Nothing to start: the next batch will begin as soon as the one before it ends." };
    return { ok: true, message: queued.created ? "Sync queued: it starts as soon as a worker is free." : "A sync is already queued for this connection." };
  });
}

export async function backfillAction(id: string, input: BackfillInput): Promise<ActionResult> {
  return onConnection(id, "backfillAction", async (connection) => {
    const parsed = backfillInput.safeParse(input);
    if (!parsed.success) {
      const fieldErrors = formFieldErrors(parsed.error, (key) => key || "form") as Record<string, string>;
      return { ok: false, message: "Check the highlighted fields.", fieldErrors };
    }
    await requestBackfill(getEngine(), connection.id, parsed.data);
    revalidatePath(`/connections/${connection.id}`);
    const { start, end } = parsed.data;
    // Named in the order they are fetched (dependencies first), as the run lists them.
    const platform = getPlatform(connection.platform);
    const objects = (platform ? objectKeys(platform) : []).filter((object) => parsed.data.objects.includes(object));
    const window = start || end ? ` from ${start ? formatDateTime(start) : "the beginning"} to ${end ? formatDateTime(end) : "now"}` : "";
    return { ok: true, message: `Backfill of ${objects.join(", ")}${window} queued. Incremental syncs are paused until it ends.` };
  });
}

export async function disableAction(id: string): Promise<ActionResult> {
  return onConnection(id, "disableAction", async (connection) => {
    await disableConnection(getDb(), connection.id);
    revalidatePath(`/connections/${connection.id}`);
    return { ok: true, message: "Connection disabled: queued syncs were cancelled and no new ones will start." };
  });
}

export async function enableAction(id: string): Promise<ActionResult> {
  return onConnection(id, "enableAction", async (connection) => {
    await enableConnection(getDb(), connection.id);
    revalidatePath(`/connections/${connection.id}`);
    return { ok: true, message: "Connection re-enabled: it syncs again now." };
  });
}

/** A new access token, shown once in the answer (Tributary keeps its hash); the previous one stops working. */
export async function issueAccessTokenAction(id: string): Promise<ActionResult<{ accessToken: string }>> {
  return onConnection(id, "issueAccessTokenAction", async (connection) => {
    const accessToken = await issueAccessToken(getDb(), connection.id);
    revalidatePath(`/connections/${connection.id}`);
    return { ok: true, message: "New access token issued: the previous one no longer works.", accessToken };
  });
}

/** The name a member types to confirm a deletion: what the page's title shows. */
function confirmationName(connection: Connection): string {
  return connection.accountName ?? connection.platformAccountId ?? connection.id;
}

export async function deleteAction(id: string, typed: string): Promise<ActionResult> {
  return onConnection(id, "deleteAction", async (connection) => {
    const expected = confirmationName(connection);
    if (String(typed).trim() !== expected)
      return { ok: false, message: "The name does not match.", fieldErrors: { confirmation: `Type ${expected} exactly to confirm.` } };
    await deleteConnection(getDb(), connection.id);
    revalidatePath("/connections");
    redirect(`/connections?deleted=${encodeURIComponent(expected)}`);
  });
}
