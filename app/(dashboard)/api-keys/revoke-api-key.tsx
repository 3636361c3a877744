"use client";

import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { revokeApiKeyAction } from "./actions";

/** "Revoke" on an active key: a confirmation dialog, then the action; the table shows the key revoked. */
export function RevokeApiKey({ id, name, clientId }: { id: string; name: string; clientId: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const titleId = `revoke-${id}-title`;

  function confirm() {
    startTransition(async () => {
      const result = await revokeApiKeyAction(id);
      if (result.ok) dialog.current?.close();
      else setError(result.message);
    });
  }

  return (
    <>
      <button
        type="button"
        aria-label={`Revoke ${name}`}
        onClick={() => {
          setError(null);
          dialog.current?.showModal();
        }}
        className="rounded-md px-2.5 py-1 text-sm font-medium text-red-700 transition-colors hover:bg-red-50 hover:text-red-800"
      >
        Revoke
      </button>
      {/* showModal() keeps focus inside, starting on Cancel (the first button), and closes on Escape. */}
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0 text-left whitespace-normal shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="px-5 py-4">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Revoke “{name}”?
          </h2>
          <p className="mt-2 text-sm text-slate-600">
            Requests signed with <code className="font-mono text-xs">{clientId}</code> will be refused with 401 at once. This cannot be undone: to restore
            access, create a new key.
          </p>
          {error && (
            <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
              {error}
            </p>
          )}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-100 bg-slate-50 px-5 py-3">
          <Button type="button" variant="secondary" onClick={() => dialog.current?.close()} disabled={pending}>
            Cancel
          </Button>
          <Button type="button" variant="danger" onClick={confirm} disabled={pending}>
            {pending ? "Revoking…" : "Revoke key"}
          </Button>
        </div>
      </dialog>
    </>
  );
}
