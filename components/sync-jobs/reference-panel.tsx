import type { ReactNode } from "react";
import { CATEGORY_LABELS, type PlatformCategory } from "@/lib/platforms/definition";
import type { JobResource } from "@/lib/jobs/resources";

export type ResourceReference = Pick<JobResource, "name" | "platforms"> & { query: Pick<JobResource["query"][number], "name" | "description" | "format">[] };

function Placeholder({ code, children }: { code: string; children: ReactNode }) {
  return (
    <li>
      <code className="break-all rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-900">{code}</code>
      <p className="mt-0.5 text-xs text-slate-600">{children}</p>
    </li>
  );
}

/** What a definition may name in one category: its resources with their query parameters, and the placeholders. */
export function ReferencePanel({
  category,
  resources,
  categories,
  parent: parentName,
}: {
  category: string;
  resources: ResourceReference[];
  categories: string[];
  parent?: string;
}) {
  const example = resources.find((resource) => resource.name === parentName) ?? resources[0];
  const parent = example ? `{{resources.${example.name.replace("/", ".")}.id}}` : "{{resources.<category>.<object>.<field>}}";
  return (
    <aside aria-labelledby="reference-heading" className="self-start rounded-lg border border-slate-200 bg-surface shadow-sm">
      <header className="border-b border-slate-100 px-5 py-4">
        <h2 id="reference-heading" className="text-sm font-semibold text-slate-900">
          Reference: {CATEGORY_LABELS[category as PlatformCategory] ?? category}
        </h2>
        <p className="mt-0.5 text-sm text-slate-500">The resources this category offers and the query parameters each takes.</p>
      </header>
      <div className="space-y-5 px-5 py-4">
        {resources.length === 0 && (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-inset ring-amber-200">
            &ldquo;{category}&rdquo; is not a category: use {categories.map((name) => `"${name}"`).join(", ")}.
          </p>
        )}
        <ul aria-label="Resources" className="space-y-4">
          {resources.map((resource) => (
            <li key={resource.name}>
              <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                <code className="font-mono text-sm font-medium text-slate-900">{resource.name}</code>
                <span className="text-xs text-slate-500">{resource.platforms.join(", ")}</span>
              </div>
              {resource.query.length === 0 ? (
                <p className="mt-1 text-xs text-slate-500">No query parameters.</p>
              ) : (
                <dl className="mt-1.5 space-y-1 border-l-2 border-slate-100 pl-3">
                  {resource.query.map((parameter) => (
                    <div key={parameter.name} className="text-xs">
                      <dt className="inline font-mono font-medium text-slate-800">{parameter.name}</dt>
                      {parameter.format === "date-time" && <span className="ml-1.5 text-slate-400">date-time</span>}
                      <dd className="text-slate-600">{parameter.description}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </li>
          ))}
        </ul>
        <section aria-labelledby="placeholders-heading" className="border-t border-slate-100 pt-4">
          <h3 id="placeholders-heading" className="text-xs font-semibold uppercase tracking-wide text-slate-500">
            Placeholders in query values
          </h3>
          <ul className="mt-2 space-y-2.5">
            <Placeholder code={parent}>
              A field of the parent&apos;s current record: the resource needs <code className="font-mono">depends_on</code> naming that parent, and one request
              is made per parent record.
            </Placeholder>
            <Placeholder code="{{previous_run_date}}">
              When the previous completed run of the job on the same connection started. Left out on a first run or with &ldquo;ignore previous run&rdquo;.
            </Placeholder>
            <Placeholder code="{{args.name}}">
              An argument of the run, declared in <code className="font-mono">args_schema.properties</code>.
            </Placeholder>
          </ul>
        </section>
        <section aria-labelledby="fields-heading" className="border-t border-slate-100 pt-4 text-xs text-slate-600">
          <h3 id="fields-heading" className="font-semibold uppercase tracking-wide text-slate-500">
            Other fields
          </h3>
          <p className="mt-2">
            <code className="font-mono text-slate-800">error_handling</code>: <code className="font-mono">ignore</code> sends a{" "}
            <code className="font-mono">SYNC_JOB_RUN_RECORD_ERROR</code> and goes on; <code className="font-mono">fail_fast</code> ends the run at the first
            failed request.
          </p>
          <p className="mt-1.5">
            <code className="font-mono text-slate-800">loop_on</code>: one placeholder holding an array (such as{" "}
            <code className="font-mono">{"{{args.ticket_ids}}"}</code>); the request is repeated for each element.
          </p>
          <p className="mt-1.5">
            <code className="font-mono text-slate-800">proxy/&lt;name&gt;</code>: a GET of the platform&apos;s own API for what the resources above don&apos;t
            cover, with <code className="font-mono">platform</code>, a <code className="font-mono">path</code> under its API (placeholders allowed) and{" "}
            <code className="font-mono">records_at</code>, the field of the answer that holds the records.
          </p>
        </section>
      </div>
    </aside>
  );
}
