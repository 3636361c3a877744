"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { objectLabel } from "@/lib/format";
import { objectKeys, type PlatformObjects } from "@/lib/platforms/definition";
import { Button } from "@/components/ui/button";
import { newBatchId, type BatchDraft } from "./draft";
import { FieldErrors, inputClasses } from "./fields";

/**
 * The initial-sync batches in order: add, remove, move up and down (buttons, or Alt+↑/↓ inside a batch),
 * each batch's window in months before now and, per platform, its objects. Focus follows a moved batch.
 */
export function BatchEditor({
  id,
  batches,
  onChange,
  platform,
  errors,
  whenEmpty,
}: {
  id: string;
  batches: BatchDraft[];
  onChange: (batches: BatchDraft[]) => void;
  /** Null at the organization level: its batches fetch every object of each platform. */
  platform: PlatformObjects | null;
  errors: Map<string, string[]>;
  /** What a level without batches syncs (Tributary's default batches). */
  whenEmpty: string;
}) {
  const [announcement, setAnnouncement] = useState("");
  // Where focus goes after the next render: the moved, added or neighbouring batch's control.
  const focusTarget = useRef<{ batch: number; control: string } | null>(null);
  const rows = useRef(new Map<number, HTMLLIElement>());
  const setFocusTarget = (target: { batch: number; control: string }) => {
    focusTarget.current = target;
  };

  useEffect(() => {
    const target = focusTarget.current;
    if (!target) return;
    focusTarget.current = null;
    const row = rows.current.get(target.batch);
    const control =
      row?.querySelector<HTMLElement>(`[data-control="${target.control}"]:not([disabled])`) ??
      row?.querySelector<HTMLElement>("[data-control]:not([disabled])");
    control?.focus();
  });

  const update = (batchId: number, change: Partial<BatchDraft>) => onChange(batches.map((batch) => (batch.id === batchId ? { ...batch, ...change } : batch)));
  const move = (index: number, by: -1 | 1, control: string) => {
    const target = index + by;
    if (target < 0 || target >= batches.length) return;
    const next = [...batches];
    const [moved] = next.splice(index, 1);
    next.splice(target, 0, moved);
    onChange(next);
    setAnnouncement(`Batch moved to position ${target + 1} of ${batches.length}.`);
    setFocusTarget({ batch: moved.id, control });
  };
  const remove = (index: number) => {
    const next = batches.filter((_, i) => i !== index);
    onChange(next);
    setAnnouncement(`Batch ${index + 1} removed.`);
    const neighbour = next[Math.min(index, next.length - 1)];
    if (neighbour) setFocusTarget({ batch: neighbour.id, control: "remove" });
  };
  const add = () => {
    const last = batches.at(-1);
    // A new batch continues where the last one ends: its "to" is the last one's "from".
    const batch: BatchDraft = { id: newBatchId(), objects: [], from: "", to: last ? last.from || "" : "0" };
    onChange([...batches, batch]);
    setAnnouncement(`Batch ${batches.length + 1} added.`);
    setFocusTarget({ batch: batch.id, control: "from" });
  };
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    move(index, event.key === "ArrowUp" ? -1 : 1, event.key === "ArrowUp" ? "up" : "down");
  };

  return (
    <div>
      {batches.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-3 text-sm text-slate-600">
          No batches. {whenEmpty} Add batches to choose your own windows.
        </p>
      ) : (
        <ol className="space-y-3" aria-describedby={`${id}-keys`}>
          {batches.map((batch, index) => {
            const path = `batches[${index}]`;
            const rowErrors = errors.get(path);
            const fromErrors = errors.get(`${path}.fromMonthsAgo`);
            const toErrors = errors.get(`${path}.toMonthsAgo`);
            const objectErrors = errors.get(`${path}.objects`);
            const field = (name: string) => `${id}-${batch.id}-${name}`;
            return (
              <li
                key={batch.id}
                ref={(node) => {
                  if (node) rows.current.set(batch.id, node);
                  else rows.current.delete(batch.id);
                }}
                onKeyDown={(event) => onKeyDown(event, index)}
                aria-label={`Batch ${index + 1}`}
                data-testid="batch"
                className={`rounded-lg border bg-surface px-4 py-3 ${rowErrors?.length ? "border-red-300" : "border-slate-200"}`}
              >
                <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
                  <div className="flex items-center gap-2 self-center">
                    <span
                      className="flex size-7 items-center justify-center rounded-full bg-slate-800 text-xs font-semibold text-white dark:bg-slate-300"
                      aria-hidden="true"
                    >
                      {index + 1}
                    </span>
                    <span className="text-sm font-semibold text-slate-900">{index === 0 ? "Batch 1 (makes ready)" : `Batch ${index + 1}`}</span>
                  </div>
                  <div>
                    <label htmlFor={field("from")} className="block text-xs font-medium text-slate-700">
                      From (months ago)
                    </label>
                    <input
                      id={field("from")}
                      data-control="from"
                      inputMode="numeric"
                      value={batch.from}
                      placeholder="start of history"
                      onChange={(event) => update(batch.id, { from: event.target.value })}
                      aria-invalid={fromErrors ? true : undefined}
                      aria-describedby={fromErrors || rowErrors ? `${field("from")}-errors ${id}-${batch.id}-row-errors` : undefined}
                      className={inputClasses(Boolean(fromErrors), "mt-1 w-36")}
                    />
                  </div>
                  <div>
                    <label htmlFor={field("to")} className="block text-xs font-medium text-slate-700">
                      To (months ago)
                    </label>
                    <input
                      id={field("to")}
                      data-control="to"
                      inputMode="numeric"
                      value={batch.to}
                      placeholder="0 = now"
                      onChange={(event) => update(batch.id, { to: event.target.value })}
                      aria-invalid={toErrors ? true : undefined}
                      aria-describedby={toErrors ? `${field("to")}-errors` : undefined}
                      className={inputClasses(Boolean(toErrors), "mt-1 w-28")}
                    />
                  </div>
                  <div className="ml-auto flex gap-1.5">
                    <Button
                      type="button"
                      variant="secondary"
                      data-control="up"
                      disabled={index === 0}
                      onClick={() => move(index, -1, "up")}
                      aria-label={`Move batch ${index + 1} up`}
                    >
                      ↑
                    </Button>
                    <Button
                      type="button"
                      variant="secondary"
                      data-control="down"
                      disabled={index === batches.length - 1}
                      onClick={() => move(index, 1, "down")}
                      aria-label={`Move batch ${index + 1} down`}
                    >
                      ↓
                    </Button>
                    <Button type="button" variant="ghost" data-control="remove" onClick={() => remove(index)} aria-label={`Remove batch ${index + 1}`}>
                      Remove
                    </Button>
                  </div>
                </div>
                <FieldErrors id={`${field("from")}-errors`} messages={fromErrors} />
                <FieldErrors id={`${field("to")}-errors`} messages={toErrors} />
                <FieldErrors id={`${id}-${batch.id}-row-errors`} messages={rowErrors} />
                {platform ? (
                  <fieldset className="mt-3">
                    <legend className="text-xs font-medium text-slate-700">
                      Objects {batch.objects.length === 0 && <span className="font-normal text-slate-500">— none chosen: every selected object</span>}
                    </legend>
                    <div className="mt-1.5 flex flex-wrap gap-1.5">
                      {objectKeys(platform).map((object) => {
                        const on = batch.objects.includes(object);
                        return (
                          <button
                            key={object}
                            type="button"
                            aria-pressed={on}
                            onClick={() => update(batch.id, { objects: objectKeys(platform).filter((o) => (o === object ? !on : batch.objects.includes(o))) })}
                            className={`rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-400 ${
                              on ? "bg-brand-600 text-white ring-brand-600" : "bg-surface text-slate-700 ring-slate-300 hover:bg-slate-50"
                            }`}
                          >
                            {objectLabel(object)}
                          </button>
                        );
                      })}
                    </div>
                    <FieldErrors id={`${field("objects")}-errors`} messages={objectErrors} />
                  </fieldset>
                ) : (
                  <p className="mt-2 text-xs text-slate-500">Every object each platform imports (choose objects per batch in a platform override).</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" onClick={add}>
          + Add batch
        </Button>
        <p id={`${id}-keys`} className="text-xs text-slate-500">
          Windows are in months before the connection&apos;s first sync; leave “From” empty to start at the beginning of the history. Alt+↑/↓ moves the batch
          you are in.
        </p>
      </div>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
    </div>
  );
}
