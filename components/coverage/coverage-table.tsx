// One object's field coverage: its fields down the side, the category's platforms across, each cell
// saying whether the platform supplies the field and how often it is filled in the stored records.
// Wide tables scroll inside their frame, so the page itself never scrolls sideways.
import type { FieldCoverage, ObjectCoverage, PlatformFieldCoverage } from "@/lib/coverage";
import { formatCount, formatShare, objectLabel, plural } from "@/lib/format";
import { platformName } from "@/lib/platforms/catalog";
import { PlatformLogo } from "@/components/platform-logo";

export function CoverageTable({ coverage }: { coverage: ObjectCoverage }) {
  const platforms = Object.keys(coverage.platforms);
  const label = objectLabel(coverage.object);
  return (
    <section
      aria-labelledby={`coverage-${coverage.object}`}
      data-testid={`coverage-${coverage.object}`}
      className="rounded-lg border border-slate-200 bg-surface shadow-sm"
    >
      <header className="border-b border-slate-100 px-4 py-3 sm:px-5">
        <h2 id={`coverage-${coverage.object}`} className="text-base font-semibold text-slate-900">
          {label} <code className="ml-1 font-mono text-xs font-normal text-slate-500">{coverage.object}</code>
        </h2>
        <p className="mt-0.5 text-sm text-slate-600">{coverage.description}</p>
      </header>
      <div className="relative overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">
            Coverage of the fields of {coverage.object} by {platforms.map(platformName).join(", ")}
          </caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 sm:px-5">
                Field
              </th>
              {platforms.map((platform) => (
                <th key={platform} scope="col" className="min-w-[9.5rem] px-4 py-2.5 text-left align-bottom">
                  <span className="flex items-center gap-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
                    <PlatformLogo platform={platform} size={18} />
                    {platformName(platform)}
                  </span>
                  <span className="mt-0.5 block text-xs font-normal normal-case text-slate-500" data-testid={`sample-${coverage.object}-${platform}`}>
                    {sampleLabel(coverage.platforms[platform])}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {coverage.fields.map((field) => (
              <FieldRow key={field.name} field={field} platforms={platforms} object={coverage.object} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function sampleLabel(sample: { supplied: boolean; records: number }): string {
  if (!sample.supplied) return "Does not supply this object";
  if (sample.records === 0) return "Declared, not measured: no records stored";
  return `${plural(sample.records, "record")} measured`;
}

function FieldRow({ field, platforms, object }: { field: FieldCoverage; platforms: string[]; object: string }) {
  const nested = field.name.includes("[].");
  const [parent, child] = nested ? field.name.split("[].") : [null, field.name];
  return (
    <tr data-testid={`field-${object}-${field.name}`} className="hover:bg-slate-50/60">
      <th
        scope="row"
        className={`min-w-[12rem] max-w-md sm:min-w-[14rem] py-2.5 pr-4 text-left align-top font-normal ${nested ? "pl-8 sm:pl-9" : "pl-4 sm:pl-5"}`}
      >
        <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
          <code className="font-mono text-[13px] font-medium text-slate-900">
            {parent && <span className="text-slate-400">{parent}[].</span>}
            {child}
          </code>
          <span className="rounded bg-slate-100 px-1.5 py-px font-mono text-[11px] text-slate-600">
            {field.type}
            {field.nullable ? " · nullable" : ""}
          </span>
        </div>
        <p className="mt-0.5 text-xs leading-snug text-slate-500">{field.description}</p>
      </th>
      {platforms.map((platform) => (
        <td key={platform} data-platform={platform} className="px-4 py-2.5 align-top">
          <CoverageCell coverage={field.platforms[platform]} nested={nested} />
        </td>
      ))}
    </tr>
  );
}

function CoverageCell({ coverage, nested }: { coverage: PlatformFieldCoverage; nested: boolean }) {
  if (!coverage.supplied) {
    return (
      <span className="inline-flex items-center gap-1.5 text-slate-400" data-coverage="not-supplied">
        <span aria-hidden="true" className="font-semibold">
          —
        </span>
        Not supplied
      </span>
    );
  }
  if (coverage.filled === null) {
    return (
      <span
        className="inline-flex items-center gap-1.5 text-slate-500"
        data-coverage="not-measured"
        title={nested && coverage.records ? "The measured records have no such elements" : "No records of this platform are stored yet"}
      >
        <Check />
        Not measured
      </span>
    );
  }
  const percent = formatShare(coverage.filled);
  const never = coverage.filled === 0;
  const what = nested ? "elements" : "records";
  return (
    <div
      data-coverage={never ? "never-filled" : "filled"}
      title={`Filled in ${formatCount(Math.round(coverage.filled * coverage.values))} of ${formatCount(coverage.values)} ${what}`}
    >
      <div className="flex items-center gap-1.5">
        <Check />
        <span className={`tabular-nums font-medium ${never ? "text-amber-700" : "text-slate-900"}`}>{percent}</span>
        {never && <span className="text-xs text-amber-700">never filled</span>}
      </div>
      <div
        className="mt-1 h-1.5 w-24 overflow-hidden rounded-full bg-slate-100"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(coverage.filled * 100)}
        aria-label={`Filled in ${percent} of ${what}`}
      >
        <div
          className={`h-full rounded-full ${coverage.filled >= 0.95 ? "bg-emerald-500" : coverage.filled >= 0.5 ? "bg-brand-500" : "bg-amber-500"}`}
          style={{ width: `${coverage.filled * 100}%` }}
        />
      </div>
    </div>
  );
}

function Check() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      className="shrink-0 text-emerald-600"
      aria-label="Supplied"
      role="img"
    >
      <path d="m5 12 5 5L20 7" />
    </svg>
  );
}
