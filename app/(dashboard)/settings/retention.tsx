"use client";
// The organization's retention: how many days of events and deliveries, finished runs and deleted
// records it keeps (lib/retention/policy.ts). Owners and admins change it; viewers read it.
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { saveRetentionAction } from "@/lib/dashboard/settings/actions";
import { RETENTION_BOUNDS, RETENTION_DEFAULTS, RETENTION_FIELDS, type RetentionPolicy } from "@/lib/retention/policy";

type Values = Record<keyof RetentionPolicy, string>;

const asValues = (policy: RetentionPolicy): Values => ({
  eventDays: String(policy.eventDays),
  runDays: String(policy.runDays),
  tombstoneDays: String(policy.tombstoneDays),
});

export function RetentionSettings({ policy, canChange }: { policy: RetentionPolicy; canChange: boolean }) {
  const [values, setValues] = useState<Values>(() => asValues(policy));
  const [saved, setSaved] = useState<Values>(() => asValues(policy));
  const [errors, setErrors] = useState<Partial<Record<keyof RetentionPolicy, string>>>({});
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const changed = RETENTION_FIELDS.some((field) => values[field.name] !== saved[field.name]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await saveRetentionAction(values);
      if (result.ok) {
        setSaved(asValues(result.policy));
        setValues(asValues(result.policy));
        setErrors({});
        setMessage({ tone: "ok", text: "Saved. The next pruning, within five minutes, follows it." });
      } else {
        setErrors((result.fieldErrors ?? {}) as Partial<Record<keyof RetentionPolicy, string>>);
        setMessage({ tone: "error", text: result.message });
      }
    });
  };

  return (
    <Card
      title="Data retention"
      description="How long this organization's history is kept, in both environments. Older history is removed every few minutes, a little at a time; records your customers' platforms still hold are never removed by it."
    >
      <form onSubmit={submit} noValidate aria-label="Data retention">
        <div className="grid gap-5 md:grid-cols-3">
          {RETENTION_FIELDS.map((field) => {
            const id = `retention-${field.name}`;
            const error = errors[field.name];
            return (
              <div key={field.name} className="flex min-w-0 flex-col">
                <label htmlFor={id} className="text-sm font-medium text-slate-900">
                  {field.label}
                </label>
                <p id={`${id}-help`} className="mt-0.5 text-xs text-slate-600">
                  {field.description}
                </p>
                <div className="mt-auto pt-2">
                  <div className="flex items-center gap-2">
                    <input
                      id={id}
                      name={field.name}
                      type="number"
                      inputMode="numeric"
                      min={RETENTION_BOUNDS.min}
                      max={RETENTION_BOUNDS.max}
                      step={1}
                      value={values[field.name]}
                      disabled={!canChange || pending}
                      onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
                      className={`block w-24 rounded-md border px-3 py-1.5 text-right text-sm tabular-nums shadow-sm focus:outline-none focus:ring-2 disabled:bg-slate-50 disabled:text-slate-500 ${
                        error ? "border-red-400 focus:border-red-500 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
                      }`}
                    />
                    <span className="text-sm text-slate-600">days</span>
                    <span className="ml-auto text-xs text-slate-500">default {RETENTION_DEFAULTS[field.name]}</span>
                  </div>
                  {/* The line is kept when empty, so the three inputs stay level when one has a problem. */}
                  <p id={error ? `${id}-error` : undefined} className="mt-1.5 min-h-5 text-sm text-red-700">
                    {error}
                  </p>
                </div>
              </div>
            );
          })}
        </div>
        <div className="mt-5 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
          {canChange ? (
            <>
              <Button type="submit" disabled={pending || !changed}>
                {pending ? "Saving…" : "Save retention"}
              </Button>
              {changed && !pending && (
                <Button type="button" variant="ghost" onClick={() => (setValues(saved), setErrors({}), setMessage(null))}>
                  Discard changes
                </Button>
              )}
            </>
          ) : (
            <p className="text-sm text-slate-600">Owners and admins can change the retention.</p>
          )}
          {message && (
            <p role={message.tone === "error" ? "alert" : "status"} className={`text-sm ${message.tone === "error" ? "text-red-700" : "text-green-700"}`}>
              {message.text}
            </p>
          )}
        </div>
      </form>
    </Card>
  );
}
