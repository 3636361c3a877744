"use client";
// A run's args, as the job's args_schema declares them: one field per argument when every argument
// is a string, number, integer or boolean (the common case), otherwise a JSON object. Empty fields
// are left out, so a missing required argument is refused by the library, named `args.<name>`.
import { useState } from "react";
import { Field, inputClasses } from "./form";

interface ArgSpec {
  name: string;
  type: "string" | "number" | "integer" | "boolean";
  description: string | null;
  required: boolean;
  options: string[] | null;
}

const SIMPLE = new Set(["string", "number", "integer", "boolean"]);

/** The arguments as fields, or null when one of them needs JSON. */
function argSpecs(schema: Record<string, unknown>): ArgSpec[] | null {
  const properties = schema.properties && typeof schema.properties === "object" ? (schema.properties as Record<string, Record<string, unknown>>) : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const specs: ArgSpec[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const type = typeof property?.type === "string" ? property.type : "string";
    if (!SIMPLE.has(type)) return null;
    const options = Array.isArray(property.enum) && property.enum.every((value) => typeof value === "string") ? (property.enum as string[]) : null;
    specs.push({
      name,
      type: type as ArgSpec["type"],
      description: typeof property.description === "string" ? property.description : null,
      required: required.includes(name),
      options,
    });
  }
  return specs;
}

export type ArgsRead = { ok: true; args: Record<string, unknown> } | { ok: false; field: string; message: string };

export function useArgsInput(schema: Record<string, unknown>) {
  const [specs] = useState(() => argSpecs(schema));
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [json, setJson] = useState("{}");

  function read(): ArgsRead {
    if (!specs) {
      try {
        const parsed: unknown = JSON.parse(json || "{}");
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
          return { ok: false, field: "args", message: 'Args must be a JSON object, such as {"org_id": "123"}.' };
        return { ok: true, args: parsed as Record<string, unknown> };
      } catch (error) {
        return { ok: false, field: "args", message: `Args are not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    const args: Record<string, unknown> = {};
    for (const spec of specs) {
      const value = values[spec.name];
      if (spec.type === "boolean") {
        if (value !== undefined) args[spec.name] = Boolean(value);
        continue;
      }
      const text = typeof value === "string" ? value.trim() : "";
      if (!text) continue;
      // A number that does not read as one is sent as typed: the library names the argument's type.
      args[spec.name] = spec.type === "string" || Number.isNaN(Number(text)) ? text : Number(text);
    }
    return { ok: true, args };
  }

  function reset() {
    setValues({});
    setJson("{}");
  }

  return { specs, values, setValues, json, setJson, read, reset };
}

export type ArgsInput = ReturnType<typeof useArgsInput>;

export function ArgsFields({ input, idPrefix, errors }: { input: ArgsInput; idPrefix: string; errors: Record<string, string> }) {
  const { specs } = input;
  if (!specs) {
    return (
      <Field id={`${idPrefix}-args`} label="Args (JSON)" error={errors.args} hint="An object matching the job's args_schema.">
        {(props) => (
          <textarea
            {...props}
            value={input.json}
            onChange={(event) => input.setJson(event.target.value)}
            rows={4}
            spellCheck={false}
            className={inputClasses(Boolean(errors.args), "w-full font-mono text-xs")}
          />
        )}
      </Field>
    );
  }
  if (specs.length === 0) return errors.args ? <p className="text-sm text-red-700">{errors.args}</p> : null;
  return (
    <fieldset className="space-y-4 rounded-md border border-slate-200 px-4 pb-4 pt-2">
      <legend className="px-1 text-sm font-medium text-slate-700">Args</legend>
      {errors.args && <p className="text-sm text-red-700">{errors.args}</p>}
      {specs.map((spec) => {
        const id = `${idPrefix}-arg-${spec.name}`;
        const error = errors[`args.${spec.name}`];
        const hint = [spec.description, `${spec.type}${spec.required ? ", required" : ", optional"}`].filter(Boolean).join(" · ");
        if (spec.type === "boolean") {
          return (
            <label key={spec.name} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                checked={Boolean(input.values[spec.name])}
                onChange={(event) => input.setValues({ ...input.values, [spec.name]: event.target.checked })}
                className="size-4 rounded border-slate-300"
              />
              <code className="font-mono text-xs">{spec.name}</code>
              <span className="text-xs text-slate-500">{hint}</span>
            </label>
          );
        }
        const value = typeof input.values[spec.name] === "string" ? (input.values[spec.name] as string) : "";
        const change = (next: string) => input.setValues({ ...input.values, [spec.name]: next });
        return (
          <Field key={spec.name} id={id} label={<code className="font-mono text-xs">{spec.name}</code>} error={error} hint={hint}>
            {(props) =>
              spec.options ? (
                <select {...props} value={value} onChange={(event) => change(event.target.value)} className={inputClasses(Boolean(error), "w-full bg-surface")}>
                  <option value="">—</option>
                  {spec.options.map((option) => (
                    <option key={option}>{option}</option>
                  ))}
                </select>
              ) : (
                <input
                  {...props}
                  type="text"
                  inputMode={spec.type === "string" ? undefined : "decimal"}
                  value={value}
                  onChange={(event) => change(event.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  className={inputClasses(Boolean(error), "w-full font-mono")}
                />
              )
            }
          </Field>
        );
      })}
    </fieldset>
  );
}
