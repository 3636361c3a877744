"use client";

import { dependencyClosure } from "@/lib/sync/configuration";
import { objectLabel } from "@/lib/format";
import { objectKeys, type PlatformObjects } from "@/lib/platforms/definition";
import { FieldErrors } from "./fields";

/**
 * The objects a platform imports. Checking one adds what it needs (its records reference them) and says
 * why; those stay checked while anything selected needs them.
 */
export function ObjectPicker({
  id,
  platform,
  selected,
  onChange,
  errors,
}: {
  id: string;
  platform: PlatformObjects;
  selected: string[];
  onChange: (objects: string[]) => void;
  errors?: string[];
}) {
  const { added } = dependencyClosure(platform, selected);
  const neededBy = new Map(added.map((entry) => [entry.object, entry.neededBy]));
  const toggle = (object: string, checked: boolean) => {
    const next = checked ? [...selected, object] : selected.filter((o) => o !== object);
    onChange(objectKeys(platform).filter((o) => next.includes(o)));
  };
  return (
    <fieldset aria-describedby={errors?.length ? `${id}-errors` : undefined}>
      <legend className="sr-only">Objects to import</legend>
      <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {objectKeys(platform).map((object) => {
          const reason = neededBy.get(object);
          const checked = selected.includes(object) || Boolean(reason);
          return (
            <li key={object}>
              <label
                className={`flex h-full items-start gap-2.5 rounded-md border px-3 py-2 text-sm ${
                  checked ? "border-brand-200 bg-brand-50/60" : "border-slate-200 bg-surface hover:bg-slate-50"
                } ${reason ? "cursor-not-allowed" : "cursor-pointer"}`}
              >
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 rounded border-slate-300 text-brand-600 focus:ring-2 focus:ring-brand-200"
                  checked={checked}
                  disabled={Boolean(reason)}
                  onChange={(event) => toggle(object, event.target.checked)}
                  aria-describedby={reason ? `${id}-${object}-reason` : undefined}
                />
                <span>
                  <span className="font-medium text-slate-900">{objectLabel(object)}</span>
                  {reason && (
                    <span id={`${id}-${object}-reason`} className="block text-xs text-slate-600">
                      Added because {objectLabel(reason)} needs it
                    </span>
                  )}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      <p aria-live="polite" className="mt-2 text-xs text-slate-600">
        {added.length > 0
          ? added.map((entry) => `${objectLabel(entry.object)} is added because ${objectLabel(entry.neededBy)} needs it.`).join(" ")
          : selected.length === 0
            ? "Choose at least one object."
            : "Dependencies are added automatically and fetched first."}
      </p>
      <FieldErrors id={`${id}-errors`} messages={errors} />
    </fieldset>
  );
}
