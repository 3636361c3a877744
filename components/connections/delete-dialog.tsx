"use client";

import { deleteAction } from "@/lib/dashboard/connections/actions";
import { TypedConfirmDialog } from "@/components/ui/typed-confirm-dialog";

/** Deleting is final: the member types the account's name to confirm; the action then redirects to the list. */
export function DeleteDialog({ open, connectionId, name, onClose }: { open: boolean; connectionId: string; name: string; onClose: () => void }) {
  return (
    <TypedConfirmDialog
      open={open}
      title="Delete this connection?"
      description={
        <>
          Syncing stops for good, its access token stops working and its records are no longer served, at once; they are removed in the background with its runs
          and record events. Its connection events stay in the log for your retention period. To connect the account again, the end user goes through Link anew.
        </>
      }
      name={name}
      inputId="delete-confirmation"
      confirmLabel="Delete connection"
      pendingLabel="Deleting…"
      // On success the action redirects to the list; it only answers when something was wrong.
      confirm={(typed) => deleteAction(connectionId, typed)}
      onClose={onClose}
    />
  );
}
