"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Card } from "@/components/ui/card";
import type { EventTypeGroup } from "@/lib/presenters/webhooks";
import { createEndpointAction, updateEndpointAction } from "@/lib/dashboard/webhooks/actions";
import type { EndpointFormState, EndpointFormValues, FieldErrors } from "@/lib/dashboard/webhooks/schema";
import { EventTypePicker } from "./event-type-picker";
import { SecretPanel } from "./secret-panel";

const INITIAL: EndpointFormState = { status: "idle" };
const EMPTY: EndpointFormValues = { url: "", description: "", eventTypes: [], retrySchedule: "", timeoutSeconds: "15", orderingWaitSeconds: "3600" };

/** Creates an endpoint (then shows its secret once) or edits one (then returns to it). */
export function EndpointForm({ endpointId, groups, initial = EMPTY }: { endpointId?: string; groups: EventTypeGroup[]; initial?: EndpointFormValues }) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState(endpointId ? updateEndpointAction.bind(null, endpointId) : createEndpointAction, INITIAL);
  useEffect(() => {
    if (state.status === "saved") router.push(`/webhooks/${state.id}`);
  }, [state, router]);

  if (state.status === "created") {
    return (
      <SecretPanel title="Endpoint created" secret={state.endpoint.secret} onDone={() => router.push(`/webhooks/${state.endpoint.id}`)}>
        <p>
          <strong className="font-semibold">Copy the signing secret now: it will not be shown again.</strong> Your receiver uses it to verify the{" "}
          <code className="font-mono text-xs">webhook-signature</code> header of every delivery to{" "}
          <span className="break-all font-mono text-xs">{state.endpoint.url}</span>. If it is lost, rotate the secret.
        </p>
      </SecretPanel>
    );
  }

  const values = state.status === "invalid" || state.status === "failed" ? state.values : initial;
  const errors: FieldErrors = state.status === "invalid" ? state.fieldErrors : {};
  // A failed submission remounts the fields with what was typed.
  const formKey = state.status === "idle" ? "initial" : JSON.stringify(values);

  return (
    <Card>
      <form action={formAction} noValidate className="space-y-5" key={formKey}>
        <Field
          id="endpoint-url"
          label="Endpoint URL"
          error={errors.url}
          hint="Tributary POSTs each event here, signed following the Standard Webhooks specification."
        >
          {(props) => (
            <input
              {...props}
              name="url"
              type="url"
              maxLength={2048}
              defaultValue={values.url}
              placeholder="https://example.com/webhooks/tributary"
              autoComplete="off"
              spellCheck={false}
              className={inputClasses(errors.url, "font-mono")}
            />
          )}
        </Field>
        <Field id="endpoint-description" label="Description" optional error={errors.description}>
          {(props) => (
            <input
              {...props}
              name="description"
              type="text"
              defaultValue={values.description}
              placeholder="Order pipeline (production)"
              className={inputClasses(errors.description)}
            />
          )}
        </Field>
        <EventTypePicker groups={groups} initial={values.eventTypes} error={errors.event_types} errorId="endpoint-event-types-error" />
        <details
          className="group rounded-md border border-slate-200 px-4 py-3"
          open={Boolean(errors.retry_schedule || errors.timeout_ms || errors.ordering_wait_seconds) || undefined}
        >
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Delivery settings</summary>
          <div className="mt-4 grid gap-5 sm:grid-cols-2">
            <Field
              id="endpoint-retry-schedule"
              label="Retry schedule (seconds)"
              optional
              error={errors.retry_schedule}
              hint="Delay before each attempt. Empty: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h."
            >
              {(props) => (
                <input
                  {...props}
                  name="retry_schedule"
                  type="text"
                  inputMode="numeric"
                  defaultValue={values.retrySchedule}
                  placeholder="0, 5, 300, 1800"
                  className={inputClasses(errors.retry_schedule, "font-mono")}
                />
              )}
            </Field>
            <Field id="endpoint-timeout" label="Timeout (seconds)" error={errors.timeout_ms} hint="An answer later than this counts as a failure (1–60).">
              {(props) => (
                <input
                  {...props}
                  name="timeout_seconds"
                  type="text"
                  inputMode="numeric"
                  defaultValue={values.timeoutSeconds}
                  className={inputClasses(errors.timeout_ms)}
                />
              )}
            </Field>
            <Field
              id="endpoint-ordering-wait"
              label="Ordering wait (seconds)"
              error={errors.ordering_wait_seconds}
              hint="A connection's events arrive in order: while one is being retried, later ones wait this long at most, then go on without it (0–86,400; 0: never wait)."
            >
              {(props) => (
                <input
                  {...props}
                  name="ordering_wait_seconds"
                  type="text"
                  inputMode="numeric"
                  defaultValue={values.orderingWaitSeconds}
                  className={inputClasses(errors.ordering_wait_seconds)}
                />
              )}
            </Field>
          </div>
        </details>
        {state.status === "failed" && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
            {state.message}
          </p>
        )}
        {state.status === "invalid" && (
          <p role="alert" className="text-sm text-red-700">
            Some fields need a change; see the messages next to them.
          </p>
        )}
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Link href={endpointId ? `/webhooks/${endpointId}` : "/webhooks"} className={buttonClasses("secondary")}>
            Cancel
          </Link>
          <Button type="submit" disabled={pending}>
            {pending ? (endpointId ? "Saving…" : "Creating…") : endpointId ? "Save changes" : "Create endpoint"}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function inputClasses(error: string | undefined, extra = "") {
  return `block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 ${extra} ${
    error ? "border-red-400 focus:border-red-500 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
  }`;
}
