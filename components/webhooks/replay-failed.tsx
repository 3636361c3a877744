"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/lib/format";
import { countReplayAction, replayFailedAction } from "@/lib/dashboard/webhooks/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { deliveriesKey } from "./use-deliveries";

/** "2026-11-22 20:41": a minute in UTC, written as every date of the dashboard reads (formatDateTime). */
function utcInput(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}

/**
 * The instant a "YYYY-MM-DD HH:MM" (24-hour, UTC) value names, or null. The browser's datetime-local
 * picker is not used: it shows the member's local zone and, in many locales, a 12-hour clock.
 */
export function parseUtcInput(value: string): Date | null {
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})\s*(?:UTC|Z)?\s*$/i.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  // Date.UTC rolls 2026-02-30 over to March: a value that does not come back unchanged named no minute.
  return date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute
    ? date
    : null;
}

type WindowErrors = { from?: string; to?: string };

/** Replays every failed delivery created in a window, after a confirmation that says how many. */
export function ReplayFailed({ endpointId }: { endpointId: string }) {
  const queryClient = useQueryClient();
  const [from, setFrom] = useState(() => utcInput(new Date(Date.now() - 24 * 3600 * 1000)));
  const [to, setTo] = useState(() => utcInput(new Date(Date.now() + 60_000)));
  // Until the end is chosen, it follows the clock: a page left open for an hour still replays the
  // failures of that hour.
  const [toChosen, setToChosen] = useState(false);
  const [count, setCount] = useState<number | null>(null);
  const [range, setRange] = useState<{ from: Date; to: Date } | null>(null);
  const [errors, setErrors] = useState<WindowErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  /** The window the inputs name, or the problems, each under its field. */
  function parse(end: string): { ok: true; window: { from: Date; to: Date } } | { ok: false; errors: WindowErrors } {
    const start = parseUtcInput(from);
    const stop = parseUtcInput(end);
    const found: WindowErrors = {};
    const format = "write it as YYYY-MM-DD HH:MM, 24-hour, in UTC (for example 2026-11-22 20:41)";
    if (!start) found.from = `Created from: ${from.trim() ? format : "enter the start of the window"}`;
    if (!stop) found.to = `To: ${end.trim() ? format : "enter the end of the window"}`;
    if (start && stop && start >= stop) found.to = "To: must be after Created from";
    return start && stop && !found.to ? { ok: true, window: { from: start, to: stop } } : { ok: false, errors: found };
  }

  const check = () => {
    setError(null);
    setNotice(null);
    const end = toChosen ? to : utcInput(new Date(Date.now() + 60_000));
    setTo(end);
    const parsed = parse(end);
    if (!parsed.ok) return setErrors(parsed.errors);
    const { window } = parsed;
    setErrors({});
    startTransition(async () => {
      const result = await countReplayAction(endpointId, window.from.toISOString(), window.to.toISOString());
      if (!result.ok) return setNotice(result.message);
      if (result.count === 0) return setNotice("No failed delivery in this window: nothing to replay.");
      setRange(window);
      setCount(result.count);
    });
  };
  const replay = () =>
    startTransition(async () => {
      if (!range) return;
      const result = await replayFailedAction(endpointId, range.from.toISOString(), range.to.toISOString());
      if (!result.ok) return setError(result.message);
      setCount(null);
      setNotice(`${result.queued} ${result.queued === 1 ? "delivery" : "deliveries"} queued again.`);
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(endpointId) });
    });
  const input = (invalid: boolean) =>
    `block w-44 rounded-md border bg-surface px-2.5 py-1.5 font-mono text-sm tabular-nums text-slate-900 shadow-sm focus:outline-none focus:ring-2 ${invalid ? "border-red-400 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"}`;

  return (
    <div>
      <div className="flex flex-wrap items-start gap-3">
        <Field id="replay-from" label="Created from (UTC)" error={errors.from}>
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              placeholder="YYYY-MM-DD HH:MM"
              value={from}
              onChange={(event) => setFrom(event.target.value)}
              className={input(Boolean(errors.from))}
            />
          )}
        </Field>
        <Field id="replay-to" label="To (UTC)" error={errors.to}>
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              placeholder="YYYY-MM-DD HH:MM"
              value={to}
              onChange={(event) => {
                setTo(event.target.value);
                setToChosen(true);
              }}
              className={input(Boolean(errors.to))}
            />
          )}
        </Field>
        <div className="sm:pt-6">
          <Button type="button" variant="secondary" onClick={check} disabled={pending}>
            {pending && count === null ? "Counting…" : "Replay failed…"}
          </Button>
        </div>
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
          {count} failed {count === 1 ? "delivery" : "deliveries"} created between {formatDateTime(range?.from)} and {formatDateTime(range?.to)} will be sent
          again, each with its original <code className="font-mono text-xs">webhook-id</code> so your receiver can ignore what it already handled.
        </p>
      </ConfirmDialog>
    </div>
  );
}
