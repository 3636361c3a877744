"use client";

import { useState, useTransition } from "react";
import { deleteAction } from "@/lib/dashboard/connections/actions";
import { Button } from "@/components/ui/button";
import { Dialog, Notice } from "@/components/ui/dialog";

/** Deleting is final: the member types the account's name to confirm; the action then redirects to the list. */
export function DeleteDialog({ open, connectionId, name, onClose }: { open: boolean; connectionId: string; name: string; onClose: () => void }) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const matches = typed.trim() === name;

  function close() {
    setTyped("");
    setError(null);
    onClose();
  }

  function confirm() {
    startTransition(async () => {
      // On success the action redirects to the list; it only answers when something was wrong.
      const answer = await deleteAction(connectionId, typed);
      if (!answer.ok) setError(answer.fieldErrors?.confirmation ?? answer.message);
    });
  }

  return (
    <Dialog
      open={open}
      title="Delete this connection?"
      onClose={close}
      description={
        <>
          Syncing stops for good, its access token stops working and its records are no longer served, at once; they are removed in the background with its runs
          and record events. Its connection events stay in the log for your retention period. To connect the account again, the end user goes through Link anew.
        </>
      }
      footer={
        <>
          <Button type="button" variant="secondary" onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="button" variant="danger" onClick={confirm} disabled={!matches || pending}>
            {pending ? "Deleting…" : "Delete connection"}
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
        <label htmlFor="delete-confirmation" className="block text-sm text-slate-700">
          Type <strong className="font-semibold text-slate-900">{name}</strong> to confirm
        </label>
        <input
          id="delete-confirmation"
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
  );
}
