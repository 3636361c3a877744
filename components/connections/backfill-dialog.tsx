"use client";

import { useState, useTransition } from "react";
import { backfillAction } from "@/lib/dashboard/connections/actions";
import type { ActionResult } from "@/lib/dashboard/connections/schema";
import { Button } from "@/components/ui/button";
import { Dialog, Notice } from "@/components/ui/dialog";

/**
 * Backfill in two steps: choose the objects and the creation window, then confirm a summary that says
 * per object what will be fetched (objects the platform cannot filter by creation date are read
 * whole, window or not) and that incremental syncs pause until the backfill ends (the planner cancels
 * a queued incremental run and holds the schedule while the backfill runs).
 */
export function BackfillDialog({
  open,
  connectionId,
  platformName,
  objects,
  unwindowed,
  onClose,
  onDone,
}: {
  open: boolean;
  connectionId: string;
  platformName: string;
  objects: string[];
  /** The objects the platform cannot limit to a creation window (its definition's supportsWindow). */
  unwindowed: readonly string[];
  onClose: () => void;
  onDone: (result: ActionResult) => void;
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [windowed, setWindowed] = useState(false);
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [step, setStep] = useState<"choose" | "confirm">("choose");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function close() {
    setStep("choose");
    setErrors({});
    setMessage(null);
    onClose();
  }

  function review() {
    const found: Record<string, string> = {};
    if (chosen.length === 0) found.objects = "Choose at least one object to backfill";
    if (windowed && !start && !end) found.start = "Enter a start day, an end day, or both (or choose all history)";
    if (windowed && start && end && start > end) found.end = "The end day must not be before the start day";
    setErrors(found);
    if (Object.keys(found).length === 0) setStep("confirm");
  }

  function confirm() {
    startTransition(async () => {
      const answer = await backfillAction(connectionId, { objects: chosen, start: windowed && start ? start : null, end: windowed && end ? end : null });
      if (answer.ok) {
        setStep("choose");
        setChosen([]);
        setMessage(null);
        onDone(answer);
      } else {
        setErrors(answer.fieldErrors ?? {});
        setMessage(answer.message);
        if (answer.fieldErrors) setStep("choose");
      }
    });
  }

  const ordered = objects.filter((object) => chosen.includes(object));
  const windowText = `records created ${start ? `from ${start}` : "from the beginning"} ${end ? `through ${end}` : "until now"} (UTC)`;
  const canWindow = objects.some((object) => !unwindowed.includes(object));
  const whole = objects.filter((object) => unwindowed.includes(object));

  return (
    <Dialog
      open={open}
      size="lg"
      title={step === "choose" ? "Backfill" : "Start this backfill?"}
      onClose={close}
      description={step === "choose" ? "Fetch chosen objects again from the platform, whole or within a creation window, and update what changed." : undefined}
      footer={
        step === "choose" ? (
          <>
            <Button type="button" variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="button" onClick={review}>
              Review backfill
            </Button>
          </>
        ) : (
          <>
            <Button type="button" variant="secondary" onClick={() => setStep("choose")} disabled={pending}>
              Back
            </Button>
            <Button type="button" onClick={confirm} disabled={pending}>
              {pending ? "Starting…" : "Start backfill"}
            </Button>
          </>
        )
      }
    >
      {step === "choose" ? (
        <>
          <fieldset aria-describedby={errors.objects ? "backfill-objects-error" : undefined}>
            <legend className="text-sm font-medium text-slate-900">Objects</legend>
            <div className="mt-1 flex gap-3 text-xs">
              <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setChosen([...objects])}>
                Select all
              </button>
              <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setChosen([])}>
                Clear
              </button>
            </div>
            <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3">
              {objects.map((object) => (
                <label key={object} className="flex items-center gap-2 rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50">
                  <input
                    type="checkbox"
                    checked={chosen.includes(object)}
                    onChange={(event) => setChosen((current) => (event.target.checked ? [...current, object] : current.filter((o) => o !== object)))}
                    className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
                  />
                  {object}
                </label>
              ))}
            </div>
            {errors.objects && (
              <p id="backfill-objects-error" className="mt-1.5 text-sm text-red-700">
                {errors.objects}
              </p>
            )}
          </fieldset>
          <fieldset>
            <legend className="text-sm font-medium text-slate-900">Window</legend>
            <div className="mt-2 space-y-2">
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name="backfill-window"
                  checked={!windowed}
                  onChange={() => setWindowed(false)}
                  className="h-4 w-4 text-brand-600 focus:ring-brand-500"
                />
                All history
              </label>
              {canWindow && (
                <label className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="backfill-window"
                    checked={windowed}
                    onChange={() => setWindowed(true)}
                    className="h-4 w-4 text-brand-600 focus:ring-brand-500"
                  />
                  Only records created between two days (UTC)
                </label>
              )}
            </div>
            {windowed && (
              <div className="mt-3 flex flex-wrap gap-4 pl-6">
                <DayField id="backfill-start" label="From" value={start} onChange={setStart} error={errors.start} />
                <DayField id="backfill-end" label="Through" value={end} onChange={setEnd} error={errors.end} />
              </div>
            )}
            {whole.length > 0 && (
              <p className="mt-2 text-xs text-slate-500">
                {canWindow
                  ? `${platformName} cannot filter ${listed(whole)} by creation date: ${whole.length === 1 ? "it is" : "they are"} fetched whole, window or not.`
                  : `${platformName} cannot filter its objects by creation date: a backfill fetches them whole.`}
              </p>
            )}
          </fieldset>
          {message && <Notice tone="error">{message}</Notice>}
        </>
      ) : (
        <>
          {windowed ? (
            <>
              <p>Tributary will fetch again, and update the records that changed (with their change events):</p>
              <ul aria-label="What each object fetches" className="list-disc space-y-1 pl-5">
                {ordered.map((object) => (
                  <li key={object}>
                    <strong className="font-semibold">{object}</strong>:{" "}
                    {unwindowed.includes(object) ? `all records (${platformName} cannot filter ${object} by creation date)` : windowText}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>
              Tributary will fetch <strong className="font-semibold">{ordered.join(", ")}</strong> again, all of their history, and update the records that
              changed (with their change events).
            </p>
          )}
          <Notice tone="warning">
            <strong className="font-semibold">Incremental syncs pause until the backfill ends.</strong> A queued incremental sync is cancelled; the first one
            after the backfill picks up every change made meanwhile.
          </Notice>
          {message && <Notice tone="error">{message}</Notice>}
        </>
      )}
    </Dialog>
  );
}

/** "tickets", "users and tickets", "users, tickets and comments". */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function DayField({ id, label, value, onChange, error }: { id: string; label: string; value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        type="date"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`mt-1 block rounded-md border px-2.5 py-1.5 text-sm shadow-sm focus:outline-none focus:ring-2 ${error ? "border-red-400 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"}`}
      />
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
