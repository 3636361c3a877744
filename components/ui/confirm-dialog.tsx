"use client";
// The dashboard's one confirmation before a destructive or lasting action (revoke a key, remove a
// member, delete an endpoint, stop a run…): a modal Dialog whose focus starts on Cancel, with the
// action's error shown inside it. The caller owns `open`; `onConfirm` runs the action and the caller
// closes the dialog when it succeeded.
import type { ReactNode } from "react";
import { Button } from "./button";
import { Dialog, Notice } from "./dialog";

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  tone = "danger",
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error?: string | null;
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={() => !pending && onClose()}
      description={
        <div className="space-y-2">
          {children}
          {error && <Notice tone="error">{error}</Notice>}
        </div>
      }
      footer={
        <>
          <Button type="button" variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="button" variant={tone} onClick={onConfirm} disabled={pending}>
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </>
      }
    />
  );
}
