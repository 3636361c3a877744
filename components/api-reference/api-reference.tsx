// The API reference: the OpenAPI document rendered as a page, one section per tag, each operation
// with its method, path, summary, parameters, request body and responses. Our own small renderer over
// the JSON (no CDN viewer): the dashboard's CSP and offline self-hosting allow no outside scripts.
import { groupOperations, type Json, type ReferenceOperation } from "./model";
import { SchemaView } from "./schema-view";

const METHOD_STYLE: Record<string, string> = {
  GET: "bg-sky-50 text-sky-800 ring-sky-200",
  POST: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  PUT: "bg-amber-50 text-amber-800 ring-amber-200",
  PATCH: "bg-amber-50 text-amber-800 ring-amber-200",
  DELETE: "bg-rose-50 text-rose-800 ring-rose-200",
};

export function ApiReference({ document }: { document: Json }) {
  const tags = groupOperations(document);
  const servers = Array.isArray(document.servers) ? (document.servers as { url?: string }[]) : [];
  const info = (document.info ?? {}) as { title?: string; version?: string; description?: string };
  return (
    <div className="grid gap-8 lg:grid-cols-[14rem_minmax(0,1fr)]">
      <nav aria-label="API sections" className="lg:sticky lg:top-6 lg:self-start">
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm lg:block lg:space-y-1">
          {tags.map((tag) => (
            <li key={tag.name}>
              <a href={`#tag-${slug(tag.name)}`} className="text-slate-600 hover:text-brand-700">
                {tag.name} <span className="text-xs text-slate-400">{tag.operations.length}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 space-y-10">
        <div className="rounded-lg border border-slate-200 bg-surface px-5 py-4 text-sm text-slate-600 shadow-sm">
          <p>
            <span className="font-semibold text-slate-900">{info.title}</span> {info.version && <span className="text-slate-400">v{info.version}</span>} · base
            URL <code className="font-mono text-xs">{servers[0]?.url ?? "/"}</code> ·{" "}
            <a href="/api/v1/openapi.json" className="font-medium text-brand-700 hover:underline">
              openapi.json
            </a>
          </p>
          {info.description && <p className="mt-2">{info.description}</p>}
        </div>
        {tags.map((tag) => (
          <section key={tag.name} id={`tag-${slug(tag.name)}`} aria-labelledby={`tag-${slug(tag.name)}-heading`} className="scroll-mt-6">
            <h2 id={`tag-${slug(tag.name)}-heading`} className="mb-3 text-lg font-semibold text-slate-900">
              {tag.name}
            </h2>
            <div className="space-y-4">
              {tag.operations.map((operation) => (
                <Operation key={`${operation.method} ${operation.path}`} document={document} operation={operation} />
              ))}
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}

function Operation({ document, operation }: { document: Json; operation: ReferenceOperation }) {
  return (
    <article
      id={operation.id}
      aria-label={`${operation.method} ${operation.path}`}
      className="scroll-mt-6 rounded-lg border border-slate-200 bg-surface shadow-sm"
    >
      <header className="border-b border-slate-100 px-5 py-3">
        <p className="flex flex-wrap items-center gap-2">
          <span
            className={`rounded px-1.5 py-0.5 font-mono text-[11px] font-bold ring-1 ring-inset ${METHOD_STYLE[operation.method] ?? "bg-slate-50 text-slate-700 ring-slate-200"}`}
          >
            {operation.method}
          </span>
          <code className="break-all font-mono text-sm text-slate-900">{operation.path}</code>
        </p>
        <h3 className="mt-1 text-sm font-medium text-slate-800">{operation.summary}</h3>
        {operation.description && <p className="mt-1 whitespace-pre-line text-sm text-slate-600">{operation.description.replace(/\*\*|`/g, "")}</p>}
      </header>
      <div className="space-y-4 px-5 py-4">
        {operation.parameters.length > 0 && (
          <div>
            <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">Parameters</h4>
            <div className="relative overflow-x-auto">
              <table className="w-full min-w-[32rem] text-left text-xs">
                <thead className="text-slate-500">
                  <tr>
                    <th className="py-1 pr-3 font-medium">Name</th>
                    <th className="py-1 pr-3 font-medium">In</th>
                    <th className="py-1 pr-3 font-medium">Type</th>
                    <th className="py-1 font-medium">Description</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {operation.parameters.map((parameter) => (
                    <tr key={`${parameter.in}:${parameter.name}`}>
                      <td className="py-1.5 pr-3 align-top">
                        <code className="font-mono font-semibold text-slate-900">{parameter.name}</code>
                        {parameter.required && <span className="ml-1.5 text-[11px] font-medium text-rose-700">required</span>}
                      </td>
                      <td className="py-1.5 pr-3 align-top text-slate-600">{parameter.in}</td>
                      <td className="py-1.5 pr-3 align-top font-mono text-slate-600">{schemaType(parameter.schema)}</td>
                      <td className="py-1.5 align-top text-slate-600">{parameter.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        {operation.requestBody && (
          <div>
            <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">
              Request body{operation.requestBody.required ? "" : " (optional)"}{" "}
              <span className="font-normal normal-case tracking-normal text-slate-400">application/json</span>
            </h4>
            <SchemaView document={document} schema={operation.requestBody.schema} />
          </div>
        )}
        <div>
          <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">Responses</h4>
          <ul className="space-y-1.5">
            {operation.responses.map((response) => (
              <li key={response.status}>
                <details open={Number(response.status) < 300}>
                  <summary className="cursor-pointer text-sm">
                    <span className={`font-mono font-semibold ${Number(response.status) < 300 ? "text-emerald-700" : "text-slate-700"}`}>
                      {response.status}
                    </span>{" "}
                    <span className="text-slate-600">{response.description}</span>
                  </summary>
                  {response.schema && (
                    <div className="mt-1.5 pl-4">
                      <SchemaView document={document} schema={response.schema} />
                    </div>
                  )}
                </details>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </article>
  );
}

function schemaType(schema: Json): string {
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : typeof schema.type === "string" ? schema.type : "string";
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(" | ");
  return typeof schema.format === "string" ? `${type} (${schema.format})` : type;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
