"use client";

import { useState, useTransition, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useHydrated } from "./form";

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
        disabled={!hydrated || pending}
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
