"use client";
// Deleting the current environment's connections and their data (lib/retention/environments.ts):
// final, so the member types the environment's name; answered at once, done in the background.
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, Notice } from "@/components/ui/dialog";
import { deleteEnvironmentDataAction } from "@/lib/dashboard/settings/actions";

export function EnvironmentDelete({ environment, connections, requestedAt }: { environment: string; connections: number; requestedAt: string | null }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const matches = typed.trim() === environment;

  function close() {
    setTyped("");
    setError(null);
    setOpen(false);
  }

  function confirm() {
    startTransition(async () => {
      const answer = await deleteEnvironmentDataAction(typed);
      if (answer.ok) close();
      else setError(answer.fieldErrors?.confirmation ?? answer.message);
    });
  }

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
      <Dialog
        open={open}
        title={`Delete the ${environment} environment's data?`}
        onClose={close}
        description={
          <>
            Its {connections.toLocaleString("en-US")} connection{connections === 1 ? " is" : "s are"} deleted: syncing stops, access tokens stop working and their
            records are no longer served, at once; their data is removed in the background. Configuration, webhook endpoints and API keys stay.
          </>
        }
        footer={
          <>
            <Button type="button" variant="secondary" onClick={close} disabled={pending}>
              Cancel
            </Button>
            <Button type="button" variant="danger" onClick={confirm} disabled={!matches || pending}>
              {pending ? "Deleting…" : "Delete data"}
            </Button>
          </>
        }
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (matches) confirm();
          }}
        >
          <label htmlFor="environment-delete-confirmation" className="block text-sm text-slate-700">
            Type <strong className="font-semibold text-slate-900">{environment}</strong> to confirm
          </label>
          <input
            id="environment-delete-confirmation"
            type="text"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-red-500 focus:outline-none focus:ring-2 focus:ring-red-100"
          />
        </form>
        {error && <Notice tone="error">{error}</Notice>}
      </Dialog>
    </div>
  );
}
