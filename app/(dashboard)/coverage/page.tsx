import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { COVERAGE_CATEGORIES, COVERAGE_SAMPLE_SIZE, loadFieldCoverage } from "@/lib/coverage";
import { formatCount } from "@/lib/format";
import { CATEGORY_LABELS } from "@/lib/platforms/catalog";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { CoverageTable } from "@/components/coverage/coverage-table";

export const metadata = { title: "Field coverage" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function CoveragePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = await requireContext();
  const requested = (await searchParams).category;
  const category = COVERAGE_CATEGORIES.find((key) => key === requested) ?? COVERAGE_CATEGORIES[0];
  const objects = await loadFieldCoverage(context.db, { organizationId: context.organization.id, environment: context.environment }, { category });
  const measured = objects.some((object) => Object.values(object.platforms).some((platform) => platform.records > 0));

  return (
    <>
      <PageHeader
        title="Field coverage"
        description={`For each field of the unified objects: which platforms supply it, and how often it is filled in the records your connections stored in ${context.environment}. Read it to know which fields you can rely on per platform.`}
      />
      <nav aria-label="Categories" className="mb-5 flex flex-wrap gap-1 border-b border-slate-200">
        {COVERAGE_CATEGORIES.map((key) => (
          <Link
            key={key}
            href={`/coverage?category=${key}`}
            aria-current={key === category ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${key === category ? "border-brand-500 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"}`}
          >
            {CATEGORY_LABELS[key]}
          </Link>
        ))}
      </nav>
      <p className="mb-5 max-w-3xl text-sm text-slate-600">
        <span className="font-medium text-emerald-700">✓</span> the platform supplies the field, with the share of records in which it is filled (present and
        not null; a list not empty; a line field over all lines). <span className="font-medium text-slate-400">—</span> it does not supply the object. Measured
        on at most {formatCount(COVERAGE_SAMPLE_SIZE)} records per platform and object, each connection&apos;s most recently updated.
      </p>
      {objects.length === 0 ? (
        <EmptyState title={`No ${CATEGORY_LABELS[category].toLowerCase()} platforms`}>This build has no platform in this category yet.</EmptyState>
      ) : (
        <>
          {!measured && (
            <div
              className="mb-5 flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 bg-surface px-4 py-3 text-sm text-slate-600"
              role="status"
            >
              <span>
                No {CATEGORY_LABELS[category].toLowerCase()} records are stored in {context.environment} yet: the tables show what each platform declares. Fill
                rates appear once a connection has synced.
              </span>
              <Link href="/connections" className={buttonClasses("secondary")}>
                View connections
              </Link>
            </div>
          )}
          <div className="space-y-6">
            {objects.map((object) => (
              <CoverageTable key={object.object} coverage={object} />
            ))}
          </div>
        </>
      )}
    </>
  );
}
