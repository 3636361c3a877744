"use client";
// Deleting the current environment's connections and their data (lib/retention/environments.ts):
// final, so the member types the environment's name; answered at once, done in the background.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TypedConfirmDialog } from "@/components/ui/typed-confirm-dialog";
import { deleteEnvironmentDataAction } from "@/lib/dashboard/settings/actions";

export function EnvironmentDelete({ environment, connections, requestedAt }: { environment: string; connections: number; requestedAt: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="mt-3 flex items-start justify-between gap-4 border-t border-slate-100 pt-3">
      <div>
        <div className="text-sm text-slate-900">Delete this environment&apos;s data</div>
        <p className="mt-0.5 text-xs text-slate-600" role={requestedAt ? "status" : undefined}>
          {requestedAt
            ? `Deleting its connections and their data: ${connections.toLocaleString("en-US")} left. Connections made since then stay.`
            : "Deletes every connection here and, in the background, their records, runs and record events. Configuration, webhooks and API keys stay."}
        </p>
      </div>
      {!requestedAt && (
        <Button type="button" variant="secondary" className="shrink-0 text-red-700" onClick={() => setOpen(true)} disabled={connections === 0}>
          Delete data…
        </Button>
      )}
      <TypedConfirmDialog
        open={open}
        title={`Delete the ${environment} environment's data?`}
        description={
          <>
            Its {connections.toLocaleString("en-US")} connection{connections === 1 ? " is" : "s are"} deleted: syncing stops, access tokens stop working and
            their records are no longer served, at once; their data is removed in the background. Configuration, webhook endpoints and API keys stay.
          </>
        }
        name={environment}
        inputId="environment-delete-confirmation"
        confirmLabel="Delete data"
        pendingLabel="Deleting…"
        confirm={deleteEnvironmentDataAction}
        onClose={() => setOpen(false)}
      />
    </div>
  );
}
