"use client";

import { useState, useTransition } from "react";
import { disableAction, enableAction, syncNowAction } from "@/lib/dashboard/connections/actions";
import type { ActionResult } from "@/lib/dashboard/connections/schema";
import type { ConnectionStatusJson } from "@/lib/presenters/connections-detail";
import { Button } from "@/components/ui/button";
import { BackfillDialog } from "./backfill-dialog";
import { CopyButton } from "@/components/ui/copy";
import { DeleteDialog } from "./delete-dialog";
import { NewAccessToken } from "./new-access-token";
import { Dialog, Notice } from "@/components/ui/dialog";
import { useRefreshStatus } from "./use-connection";

/** The connection's actions; each answers in the notice under the buttons and refreshes the live status. */
export function ConnectionActions({
  status,
  canManage,
  confirmationName,
  unwindowed,
}: {
  status: ConnectionStatusJson;
  canManage: boolean;
  confirmationName: string;
  /** The platform's objects that cannot be limited to a creation window. */
  unwindowed: readonly string[];
}) {
  const { connection } = status;
  const refresh = useRefreshStatus(connection.id);
  const [result, setResult] = useState<ActionResult | null>(null);
  const [dialog, setDialog] = useState<"backfill" | "disable" | "delete" | null>(null);
  const [pending, startTransition] = useTransition();
  // Set once the status read after a queued sync or backfill is in: from then on its notice lasts as
  // long as the connection has runs queued or running, and goes when they end (Recent runs has the outcome).
  const [watchingRuns, setWatchingRuns] = useState(false);
  if (watchingRuns && status.activeRuns.length === 0) {
    setWatchingRuns(false);
    setResult(null);
  }
  const syncing = connection.health !== "DISABLED" && connection.health !== "NEEDS_UPDATE" && !connection.deletedAt;

  function run(action: () => Promise<ActionResult>, after?: (result: ActionResult) => void, queuesRuns = false) {
    startTransition(async () => {
      const answer = await action();
      setWatchingRuns(false);
      setResult(answer);
      after?.(answer);
      await refresh();
      if (answer.ok && queuesRuns) setWatchingRuns(true);
    });
  }

  if (connection.deletedAt) return null;
  return (
    <div className="mb-6">
      <div role="toolbar" aria-label="Connection actions" className="flex flex-wrap items-center gap-2">
        {canManage && (
          <>
            <Button
              type="button"
              onClick={() => run(() => syncNowAction(connection.id), undefined, true)}
              disabled={pending || !syncing}
              title={syncing ? "Fetch what changed since the last sync" : "This connection cannot sync now"}
            >
              Sync now
            </Button>
            <Button type="button" variant="secondary" onClick={() => setDialog("backfill")} disabled={pending || !syncing}>
              Backfill…
            </Button>
            {connection.health === "DISABLED" ? (
              <Button type="button" variant="secondary" onClick={() => run(() => enableAction(connection.id))} disabled={pending}>
                Re-enable
              </Button>
            ) : (
              <Button type="button" variant="secondary" onClick={() => setDialog("disable")} disabled={pending}>
                Disable…
              </Button>
            )}
          </>
        )}
        <CopyButton value={status.relinkUrl} label="re-link URL" variant="secondary">
          Copy re-link URL
        </CopyButton>
        {canManage && <NewAccessToken connectionId={connection.id} disabled={pending} />}
        {canManage && (
          <button
            type="button"
            onClick={() => setDialog("delete")}
            disabled={pending}
            className="inline-flex items-center justify-center rounded-md border border-red-200 bg-surface px-3.5 py-2 text-sm font-medium text-red-700 shadow-sm transition-colors hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-60"
          >
            Delete…
          </button>
        )}
        {pending && <span className="text-sm text-slate-500">Working…</span>}
      </div>
      {!canManage && (
        <p className="mt-2 text-xs text-slate-500">Only owners and admins can sync, backfill, disable or delete connections, or issue access tokens.</p>
      )}
      {result && (
        <div className="mt-3 max-w-3xl">
          <Notice tone={result.ok ? "success" : "error"}>{result.message}</Notice>
        </div>
      )}
      {canManage && (
        <>
          <BackfillDialog
            open={dialog === "backfill"}
            connectionId={connection.id}
            platformName={connection.platformName}
            objects={status.objects}
            unwindowed={unwindowed}
            onClose={() => setDialog(null)}
            onDone={(answer) => {
              setWatchingRuns(false);
              setResult(answer);
              setDialog(null);
              void refresh().then(() => setWatchingRuns(true));
            }}
          />
          <Dialog
            open={dialog === "disable"}
            title="Disable this connection?"
            onClose={() => setDialog(null)}
            description={
              <>
                Queued and paused syncs are cancelled and no new ones start. Its records stay readable. You can re-enable it at any time; it then syncs what
                changed meanwhile.
              </>
            }
            footer={
              <>
                <Button type="button" variant="secondary" onClick={() => setDialog(null)} disabled={pending}>
                  Cancel
                </Button>
                <Button
                  type="button"
                  variant="danger"
                  disabled={pending}
                  onClick={() =>
                    run(
                      () => disableAction(connection.id),
                      () => setDialog(null),
                    )
                  }
                >
                  {pending ? "Disabling…" : "Disable"}
                </Button>
              </>
            }
          />
          <DeleteDialog open={dialog === "delete"} connectionId={connection.id} name={confirmationName} onClose={() => setDialog(null)} />
        </>
      )}
    </div>
  );
}
