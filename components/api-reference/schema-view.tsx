// A JSON Schema of the OpenAPI document as a nested field list: each object's fields with their type,
// whether required, and description; nested objects and arrays of objects fold open (<details>, so
// the page needs no script). Shared schemas (`$ref`) are expanded up to MAX_DEPTH levels.
import { arrayItems, objectFields, refName, typeLabel, type Json } from "./model";

const MAX_DEPTH = 4;

export function SchemaView({ document, schema, depth = 0 }: { document: Json; schema: Json; depth?: number }) {
  const items = arrayItems(document, schema);
  const fields = objectFields(document, items ?? schema);
  if (!fields) return <p className="font-mono text-xs text-slate-700">{typeLabel(document, schema)}</p>;
  return (
    <div>
      {items && <p className="mb-1 font-mono text-xs text-slate-500">array of {refName(items) ?? "objects"}:</p>}
      {depth === 0 && !items && refName(schema) && <p className="mb-1 font-mono text-xs text-slate-500">{refName(schema)}</p>}
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-surface">
        {fields.map((field) => (
          <Field key={field.name} document={document} name={field.name} required={field.required} schema={field.schema} depth={depth} />
        ))}
      </ul>
    </div>
  );
}

function Field({ document, name, required, schema, depth }: { document: Json; name: string; required: boolean; schema: Json; depth: number }) {
  const description = typeof schema.description === "string" ? schema.description : null;
  const nested = depth < MAX_DEPTH && objectFields(document, arrayItems(document, schema) ?? schema);
  const head = (
    <span className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
      <code className="font-mono text-xs font-semibold text-slate-900">{name}</code>
      <span className="break-all font-mono text-[11px] text-slate-500">{typeLabel(document, schema)}</span>
      {required && <span className="text-[11px] font-medium text-rose-700">required</span>}
    </span>
  );
  return (
    <li className="px-3 py-1.5">
      {nested ? (
        <details>
          <summary className="cursor-pointer list-inside marker:text-slate-400">{head}</summary>
          {description && <p className="mt-0.5 text-xs text-slate-600">{description}</p>}
          <div className="mt-1.5">
            <SchemaView document={document} schema={schema} depth={depth + 1} />
          </div>
        </details>
      ) : (
        <>
          {head}
          {description && <p className="mt-0.5 text-xs text-slate-600">{description}</p>}
        </>
      )}
    </li>
  );
}
