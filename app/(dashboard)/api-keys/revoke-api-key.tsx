"use client";

import { useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { revokeApiKeyAction } from "@/lib/dashboard/api-keys/actions";

/** "Revoke" on an active key: a confirmation dialog, then the action; the table shows the key revoked. */
export function RevokeApiKey({ id, name, clientId }: { id: string; name: string; clientId: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm() {
    startTransition(async () => {
      const result = await revokeApiKeyAction(id);
      if (result.ok) setOpen(false);
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
          setOpen(true);
        }}
        className="rounded-md px-2.5 py-1 text-sm font-medium text-red-700 transition-colors hover:bg-red-50 hover:text-red-800"
      >
        Revoke
      </button>
      <ConfirmDialog
        open={open}
        title={`Revoke “${name}”?`}
        confirmLabel="Revoke key"
        pendingLabel="Revoking…"
        pending={pending}
        error={error}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      >
        <p>
          Requests signed with <code className="font-mono text-xs">{clientId}</code> will be refused with 401 at once. This cannot be undone: to restore access,
          create a new key.
        </p>
      </ConfirmDialog>
    </>
  );
}
