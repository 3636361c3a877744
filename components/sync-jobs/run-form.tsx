"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import type { ConnectionOption, EndpointOption } from "@/lib/presenters/sync-jobs";
import { startRunAction } from "@/lib/dashboard/sync-jobs/actions";
import { ArgsFields } from "./args-input";
import { FormError, TargetFields } from "./form";
import { useTargetForm } from "./use-target-form";

/** "Run now": queues a run on one connection, streaming to one endpoint, then follows it on its page. */
export function RunForm({
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
  const router = useRouter();
  const form = useTargetForm(connections, endpoints, argsSchema);
  const [ignorePreviousRun, setIgnorePreviousRun] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    form.submit(async (input) => {
      const answer = await startRunAction(jobId, { ...input, ignorePreviousRun });
      if (answer.ok) {
        router.push(`/sync-jobs/runs/${answer.runId}`);
        return;
      }
      form.setErrors(answer.fieldErrors);
      setMessage(answer.fieldErrors.form ?? answer.message);
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Run now" className="space-y-4">
      <TargetFields
        idPrefix="run"
        category={category}
        connections={connections}
        endpoints={endpoints}
        value={form.targets}
        onChange={form.setTargets}
        errors={form.errors}
      />
      <ArgsFields input={form.args} idPrefix="run" errors={form.errors} />
      <div>
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={ignorePreviousRun}
            onChange={(event) => setIgnorePreviousRun(event.target.checked)}
            className="mt-0.5 size-4 rounded border-slate-300"
            aria-describedby="run-ignore-hint"
          />
          Ignore the previous run
        </label>
        <p id="run-ignore-hint" className="ml-6 mt-0.5 text-xs text-slate-500">
          Leaves out every query parameter holding <code className="font-mono">{"{{previous_run_date}}"}</code>: a full fetch instead of what changed since.
        </p>
      </div>
      {message && <FormError>{message}</FormError>}
      <div className="flex justify-end border-t border-slate-100 pt-4">
        <Button type="submit" disabled={!form.hydrated || form.pending}>
          {form.pending ? "Starting…" : "Run now"}
        </Button>
      </div>
    </form>
  );
}
