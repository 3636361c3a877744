"use client";
// The dashboard's one confirmation before a destructive or lasting action (revoke a key, remove a
// member, delete an endpoint, stop a run…): a modal Dialog whose focus starts on Cancel, with the
// action's error shown inside it. The caller owns `open`; `onConfirm` runs the action and the caller
// closes the dialog when it succeeded.
import { useState, useTransition, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog, Notice } from "./dialog";
import { useHydrated } from "./hydration";

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

type Answer = { ok: true } | { ok: false; message: string };

/** A button whose action asks first: a failure is said in the dialog, a success closes it and calls `done`. */
export function ConfirmedButton({
  label,
  ariaLabel,
  title,
  confirmLabel,
  pendingLabel,
  variant = "secondary",
  className,
  disabled = false,
  action,
  done,
  children,
}: {
  label: string;
  ariaLabel?: string;
  title: string;
  confirmLabel: string;
  pendingLabel: string;
  variant?: "secondary" | "ghost";
  className?: string;
  disabled?: boolean;
  action: () => Promise<Answer>;
  done: () => void;
  children: ReactNode;
}) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function confirm() {
    setError(null);
    startTransition(async () => {
      const answer = await action();
      if (!answer.ok) {
        setError(answer.message);
        return;
      }
      setOpen(false);
      done();
    });
  }

  return (
    <>
      <Button
        type="button"
        variant={variant}
        className={className}
        aria-label={ariaLabel}
        disabled={!hydrated || pending || disabled}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        {label}
      </Button>
      {/* Mounted only while open: a table of rows each with its button keeps one dialog (and one title id) at a time. */}
      {open && (
        <ConfirmDialog
          open
          title={title}
          confirmLabel={confirmLabel}
          pendingLabel={pendingLabel}
          pending={pending}
          error={error}
          onClose={() => setOpen(false)}
          onConfirm={confirm}
        >
          {children}
        </ConfirmDialog>
      )}
    </>
  );
}
