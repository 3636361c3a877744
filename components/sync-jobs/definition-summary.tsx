import type { JobDefinition } from "@/lib/jobs/definition";
import type { ResourceNode } from "@/lib/presenters/sync-jobs";
import { CATEGORY_LABELS, type PlatformCategory } from "@/lib/platforms/catalog";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";

const ERROR_HANDLING: Record<JobDefinition["error_handling"], string> = {
  ignore: "A failed request is reported as a record error; the run goes on",
  fail_fast: "The first failed request fails the run",
};

function Arguments({ schema }: { schema: Record<string, unknown> }) {
  const properties =
    schema.properties && typeof schema.properties === "object" ? Object.entries(schema.properties as Record<string, Record<string, unknown>>) : [];
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  if (properties.length === 0) return <span className="text-slate-500">None</span>;
  return (
    <ul className="space-y-1">
      {properties.map(([name, property]) => (
        <li key={name}>
          <code className="font-mono text-xs font-medium text-slate-900">{name}</code>
          <span className="ml-1.5 text-xs text-slate-500">
            {typeof property?.type === "string" ? property.type : "any"}
            {required.includes(name) ? ", required" : ", optional"}
            {typeof property?.description === "string" ? ` · ${property.description}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A job's definition, read-only: category, args, error handling, and the resources as the dependency tree a run walks. */
export function DefinitionSummary({ definition, tree }: { definition: JobDefinition; tree: ResourceNode[] }) {
  return (
    <Card title="Definition" description="What each run fetches, in the order it walks the resources.">
      <DescriptionList
        columns={3}
        items={[
          ["Category", CATEGORY_LABELS[definition.category as PlatformCategory] ?? definition.category],
          [
            "Error handling",
            <span key="errors">
              <code className="font-mono text-xs">{definition.error_handling}</code>
              <span className="block text-xs text-slate-500">{ERROR_HANDLING[definition.error_handling]}</span>
            </span>,
          ],
          ["Args", <Arguments key="args" schema={definition.args_schema} />],
        ]}
      />
      <h3 className="mt-6 text-xs font-medium uppercase tracking-wide text-slate-500">Resources</h3>
      <ol aria-label="Resources" className="mt-2 space-y-2">
        {tree.map(({ index, resource, depth }) => (
          <li
            key={index}
            style={{ marginLeft: `${depth * 1.75}rem` }}
            className={`rounded-md border border-slate-200 px-3 py-2.5 ${depth > 0 ? "relative bg-slate-50/60" : "bg-surface"}`}
          >
            {depth > 0 && <span aria-hidden="true" className="absolute -left-4 top-0 h-5 w-3.5 rounded-bl-md border-b-2 border-l-2 border-slate-200" />}
            <div className="flex flex-wrap items-baseline gap-x-2">
              <code className="font-mono text-sm font-medium text-slate-900">{resource.resource}</code>
              <span className="text-xs text-slate-500">{resource.method}</span>
              {resource.path && (
                <span className="min-w-0 break-all text-xs text-slate-500">
                  · GET <code className="font-mono">{resource.path}</code> on {resource.platform}
                  {resource.records_at && (
                    <>
                      , records at <code className="font-mono">{resource.records_at}</code>
                    </>
                  )}
                </span>
              )}
              {resource.depends_on && (
                <span className="text-xs text-slate-500">
                  · one request per <code className="font-mono">{resource.depends_on}</code> record
                </span>
              )}
              {resource.loop_on && (
                <span className="text-xs text-slate-500">
                  · repeated for each element of <code className="font-mono">{resource.loop_on}</code>
                </span>
              )}
            </div>
            {Object.keys(resource.query).length > 0 ? (
              <dl className="mt-1.5 flex flex-wrap gap-1.5">
                {Object.entries(resource.query).map(([name, value]) => (
                  <div
                    key={name}
                    className="inline-flex max-w-full rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-200"
                  >
                    <dt className="font-medium text-slate-900">{name}</dt>
                    <dd className="ml-1 break-all">= {JSON.stringify(value)}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="mt-1 text-xs text-slate-500">No query parameters</p>
            )}
          </li>
        ))}
      </ol>
      <details className="mt-5 rounded-md border border-slate-200">
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-700">Definition as JSON</summary>
        <pre className="max-h-96 overflow-auto border-t border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800">
          {JSON.stringify(definition, null, 2)}
        </pre>
      </details>
    </Card>
  );
}
