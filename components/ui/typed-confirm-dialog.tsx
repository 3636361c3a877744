"use client";
// The confirmation before what cannot be undone (deleting a connection, an environment's data): the
// member types the thing's name, the button stays off until it matches, and the action's refusal is
// shown inside the dialog (its confirmation field's problem first). `confirm` runs the action; the
// dialog closes when it went through (an action that redirects navigates away first).
import { useState, useTransition, type ReactNode } from "react";
import type { ActionResult } from "@/lib/dashboard/action";
import { Button } from "./button";
import { Dialog, Notice } from "./dialog";

export function TypedConfirmDialog({
  open,
  title,
  description,
  name,
  inputId,
  confirmLabel,
  pendingLabel,
  confirm,
  onClose,
}: {
  open: boolean;
  title: string;
  description: ReactNode;
  /** What the member types to confirm. */
  name: string;
  inputId: string;
  confirmLabel: string;
  pendingLabel: string;
  confirm: (typed: string) => Promise<ActionResult>;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const matches = typed.trim() === name;

  function close() {
    setTyped("");
    setError(null);
    onClose();
  }

  function run() {
    startTransition(async () => {
      const answer = await confirm(typed);
      if (answer.ok) close();
      else setError(answer.fieldErrors?.confirmation ?? answer.message);
    });
  }

  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      description={description}
      footer={
        <>
          <Button type="button" variant="secondary" onClick={close} disabled={pending}>
            Cancel
          </Button>
          <Button type="button" variant="danger" onClick={run} disabled={!matches || pending}>
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (matches) run();
        }}
      >
        <label htmlFor={inputId} className="block text-sm text-slate-700">
          Type <strong className="font-semibold text-slate-900">{name}</strong> to confirm
        </label>
        <input
          id={inputId}
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
