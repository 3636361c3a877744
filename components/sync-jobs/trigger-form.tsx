"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import type { ConnectionOption, EndpointOption } from "@/lib/presenters/sync-jobs";
import { createTriggerAction } from "@/lib/dashboard/sync-jobs/actions";
import { ArgsFields } from "./args-input";
import { cronPreview } from "./cron-preview";
import { Field, FormError, inputClasses, TargetFields } from "./form";
import { useTargetForm } from "./use-target-form";

const EXAMPLES = ["*/15 * * * *", "0 * * * *", "0 9 * * MON-FRI", "@daily"];

/** Adds a cron trigger: the expression's meaning and next three run times (UTC) shown as it is typed. */
export function TriggerForm({
  jobId,
  category,
  argsSchema,
  connections,
  endpoints,
}: {
  jobId: string;
  category: string;
  argsSchema: Record<string, unknown>;
  connections: ConnectionOption[];
  endpoints: EndpointOption[];
}) {
  const form = useTargetForm(connections, endpoints, argsSchema);
  const [expression, setExpression] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const preview = cronPreview(expression, new Date());
  const changeExpression = (next: string) => {
    setExpression(next);
    // The server's verdict was on the previous text; the live preview speaks for this one.
    if (form.errors.expression) form.setErrors(({ expression: _expression, ...rest }) => rest);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    form.submit(async (input) => {
      const answer = await createTriggerAction(jobId, { ...input, expression });
      if (answer.ok) {
        form.setErrors({});
        setExpression("");
        form.args.reset();
        setMessage({ ok: true, text: "Cron trigger added." });
        return;
      }
      form.setErrors(answer.fieldErrors);
      setMessage({ ok: false, text: answer.fieldErrors.form ?? answer.message });
    });
  }

  const expressionError = form.errors.expression ?? (preview && !preview.ok ? preview.message : undefined);
  return (
    <form onSubmit={submit} noValidate aria-label="Add a cron trigger" className="space-y-4">
      <div className="grid gap-x-8 gap-y-4 lg:grid-cols-2">
        <div className="space-y-4">
          <Field
            id="trigger-expression"
            label="Cron expression (UTC)"
            error={expressionError}
            hint={
              <>
                Minute, hour, day of month, month, day of week. For example{" "}
                {EXAMPLES.map((example, index) => (
                  <span key={example}>
                    {index > 0 && ", "}
                    <button type="button" onClick={() => changeExpression(example)} className="font-mono text-brand-700 hover:underline">
                      {example}
                    </button>
                  </span>
                ))}
                .
              </>
            }
          >
            {(props) => (
              <input
                {...props}
                type="text"
                value={expression}
                onChange={(event) => changeExpression(event.target.value)}
                placeholder="*/15 * * * *"
                autoComplete="off"
                spellCheck={false}
                className={inputClasses(Boolean(expressionError), "w-full font-mono")}
              />
            )}
          </Field>
          <div aria-live="polite" className="empty:hidden">
            {preview?.ok && (
              <div className="rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-inset ring-slate-200">
                <p className="font-medium text-slate-900">Runs {preview.description}</p>
                <p className="mt-1 text-xs text-slate-500">Next runs</p>
                <ol aria-label="Next runs" className="mt-0.5 space-y-0.5 font-mono text-xs tabular-nums text-slate-700">
                  {preview.next.map((time) => (
                    <li key={time}>{time}</li>
                  ))}
                </ol>
              </div>
            )}
          </div>
        </div>
        <div className="space-y-4">
          <TargetFields
            idPrefix="trigger"
            category={category}
            connections={connections}
            endpoints={endpoints}
            value={form.targets}
            onChange={form.setTargets}
            errors={form.errors}
          />
          <ArgsFields input={form.args} idPrefix="trigger" errors={form.errors} />
        </div>
      </div>
      {message &&
        (message.ok ? (
          <p role="status" className="text-sm text-emerald-700">
            {message.text}
          </p>
        ) : (
          <FormError>{message.text}</FormError>
        ))}
      <div className="flex justify-end border-t border-slate-100 pt-4">
        <Button type="submit" variant="secondary" disabled={!form.hydrated || form.pending}>
          {form.pending ? "Adding…" : "Add trigger"}
        </Button>
      </div>
    </form>
  );
}
