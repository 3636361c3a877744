"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/lib/format";
import { countReplayAction, replayFailedAction } from "@/app/(dashboard)/webhooks/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deliveriesKey } from "./use-deliveries";

/** A datetime-local value (the browser's time zone) for a date. */
function localInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** Replays every failed delivery created in a window, after a confirmation that says how many. */
export function ReplayFailed({ endpointId }: { endpointId: string }) {
  const queryClient = useQueryClient();
  const [from, setFrom] = useState(() => localInput(new Date(Date.now() - 24 * 3600 * 1000)));
  const [to, setTo] = useState(() => localInput(new Date(Date.now() + 60_000)));
  // Until the end is chosen, it follows the clock: a page left open for an hour still replays the
  // failures of that hour.
  const [toChosen, setToChosen] = useState(false);
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const window = (end = to) => ({ from: new Date(from).toISOString(), to: new Date(end).toISOString() });
  const valid = from && to && !Number.isNaN(new Date(from).getTime()) && !Number.isNaN(new Date(to).getTime());

  const check = () => {
    setError(null);
    setNotice(null);
    if (!valid) return setNotice("Choose a start and an end.");
    const end = toChosen ? to : localInput(new Date(Date.now() + 60_000));
    setTo(end);
    startTransition(async () => {
      const range = window(end);
      const result = await countReplayAction(endpointId, range.from, range.to);
      if (!result.ok) return setNotice(result.message);
      if (result.count === 0) return setNotice("No failed delivery in this window: nothing to replay.");
      setCount(result.count);
    });
  };
  const replay = () =>
    startTransition(async () => {
      const range = window();
      const result = await replayFailedAction(endpointId, range.from, range.to);
      if (!result.ok) return setError(result.message);
      setCount(null);
      setNotice(`${result.queued} ${result.queued === 1 ? "delivery" : "deliveries"} queued again.`);
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(endpointId) });
    });

  return (
    <div>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="replay-from" className="block text-xs font-medium text-slate-600">
            Created from
          </label>
          <input
            id="replay-from"
            type="datetime-local"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            className="mt-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
          />
        </div>
        <div>
          <label htmlFor="replay-to" className="block text-xs font-medium text-slate-600">
            to
          </label>
          <input
            id="replay-to"
            type="datetime-local"
            value={to}
            onChange={(event) => {
              setTo(event.target.value);
              setToChosen(true);
            }}
            className="mt-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
          />
        </div>
        <Button type="button" variant="secondary" onClick={check} disabled={pending}>
          {pending && count === null ? "Counting…" : "Replay failed…"}
        </Button>
      </div>
      <p aria-live="polite" className="mt-2 text-sm text-slate-700 empty:hidden">
        {notice}
      </p>
      <ConfirmDialog
        open={count !== null}
        title={`Replay ${count ?? 0} failed ${count === 1 ? "delivery" : "deliveries"}?`}
        confirmLabel="Replay"
        pendingLabel="Replaying…"
        tone="primary"
        pending={pending}
        error={error}
        onClose={() => setCount(null)}
        onConfirm={replay}
      >
        <p>
          {count} failed {count === 1 ? "delivery" : "deliveries"} created between {valid ? formatDateTime(new Date(from)) : "?"} and{" "}
          {valid ? formatDateTime(new Date(to)) : "?"} will be sent again, each with its original <code className="font-mono text-xs">webhook-id</code> so your
          receiver can ignore what it already handled.
        </p>
      </ConfirmDialog>
    </div>
  );
}
