"use client";
// The Sync jobs forms' small pieces: a labelled field with its error and hint, the connection and
// endpoint pickers a run and a cron trigger share.
import Link from "next/link";
import type { ReactNode } from "react";
import { inputClasses } from "@/components/configuration/fields";
import { Field } from "@/components/ui/field";
import type { ConnectionOption, EndpointOption } from "@/lib/presenters/sync-jobs";

export { useHydrated } from "@/components/ui/hydration";

export { inputClasses };

export { Field, type FieldControlProps } from "@/components/ui/field";

export interface Targets {
  connectionId: string;
  webhookEndpointId: string;
}

/** The connection a run fetches from (the job's category only) and the endpoint it streams to (enabled ones). */
export function TargetFields({
  idPrefix,
  category,
  connections,
  endpoints,
  value,
  onChange,
  errors,
}: {
  idPrefix: string;
  category: string;
  connections: ConnectionOption[];
  endpoints: EndpointOption[];
  value: Targets;
  onChange: (value: Targets) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <Field
        id={`${idPrefix}-connection`}
        label="Connection"
        error={errors.connection}
        hint={
          connections.length === 0 ? (
            <>
              No {category} connection here yet:{" "}
              <Link href="/connections" className="text-brand-700 hover:underline">
                connect an account
              </Link>{" "}
              first.
            </>
          ) : (
            `Only ${category} connections can run this job.`
          )
        }
      >
        {(props) => (
          <select
            {...props}
            value={value.connectionId}
            onChange={(event) => onChange({ ...value, connectionId: event.target.value })}
            className={inputClasses(Boolean(errors.connection), "w-full bg-surface")}
          >
            <option value="">Choose a connection…</option>
            {connections.map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id={`${idPrefix}-endpoint`}
        label="Webhook endpoint"
        error={errors.endpoint}
        hint={
          endpoints.length === 0 ? (
            <>
              No enabled endpoint:{" "}
              <Link href="/webhooks/new" className="text-brand-700 hover:underline">
                add one
              </Link>{" "}
              to receive the run&apos;s events.
            </>
          ) : (
            "Receives every event of the run; each must be answered 2xx before the run goes on."
          )
        }
      >
        {(props) => (
          <select
            {...props}
            value={value.webhookEndpointId}
            onChange={(event) => onChange({ ...value, webhookEndpointId: event.target.value })}
            className={inputClasses(Boolean(errors.endpoint), "w-full bg-surface")}
          >
            <option value="">Choose an endpoint…</option>
            {endpoints.map((endpoint) => (
              <option key={endpoint.id} value={endpoint.id}>
                {endpoint.description ? `${endpoint.description} · ${endpoint.url}` : endpoint.url}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

/** A form's failure that belongs to no field. */
export function FormError({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
      {children}
    </p>
  );
}
