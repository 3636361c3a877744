import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";
import { PLATFORM_CATALOG, platformName } from "@/lib/platforms/catalog";
import {
  CONNECTIONS_PAGE_SIZE,
  connectionsHref,
  getConnectionPage,
  hasFilters,
  parseConnectionQuery,
  type ConnectionFilters,
} from "@/lib/presenters/connections";
import { humanize, plural } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { buttonClasses } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { HealthBadge, StageBadge, YesNoBadge } from "@/components/ui/status-badge";

export const metadata = { title: "Connections" };

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const context = await requireContext();
  const query = parseConnectionQuery(await searchParams);
  const page = await getConnectionPage(context.db, query);
  const filtered = hasFilters(query.filters);
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Connections"
        description={`Your customers' accounts on each platform in ${context.environment}: where their sync stands and whether it is healthy.`}
      />
      {!page.anyConnection ? (
        <EmptyState
          title="No connections yet"
          action={
            <div className="flex flex-wrap justify-center gap-2">
              <Link href="/platforms" className={buttonClasses("primary")}>
                Set up platforms
              </Link>
              <Link href="/api-keys" className={buttonClasses("secondary")}>
                API keys
              </Link>
            </div>
          }
        >
          A connection appears here when one of your customers connects their store, accounting system or help desk through Link. Enable the platforms you
          offer, create an API key, then have your backend create a link session (<code className="font-mono text-xs">POST /api/v1/link/sessions</code>) and
          open Link in your app with its token.
        </EmptyState>
      ) : (
        <>
          <Filters filters={query.filters} />
          <p className="mb-3 text-sm text-slate-600" aria-live="polite">
            {filtered ? `${plural(page.total, "connection")} match these filters` : plural(page.total, "connection")}
            {page.total > CONNECTIONS_PAGE_SIZE && ` · ${CONNECTIONS_PAGE_SIZE} per page, newest first`}
          </p>
          {page.rows.length === 0 ? (
            <EmptyState
              title={filtered ? "No connections match these filters" : "No more connections"}
              action={
                <Link href={filtered ? "/connections" : connectionsHref(query.filters)} className={buttonClasses("secondary")}>
                  {filtered ? "Clear filters" : "Back to the first page"}
                </Link>
              }
            >
              {filtered ? "Try another platform, stage or health, or clear the filters to see every connection." : "This page is past the last connection."}
            </EmptyState>
          ) : (
            <Table head={["Account", "Platform", "Stage", "Health", "Ready", "Last sync completed", "Next sync", "Created"]}>
              {page.rows.map((connection) => (
                <tr key={connection.id} className="hover:bg-slate-50">
                  <Cell>
                    <Link href={`/connections/${connection.id}`} className="font-medium text-brand-700 hover:underline">
                      {connection.accountName ?? connection.platformAccountId ?? connection.id}
                    </Link>
                    <div className="font-mono text-xs text-slate-500">
                      {connection.accountName ? (connection.platformAccountId ?? connection.id) : connection.id}
                    </div>
                  </Cell>
                  <Cell>{platformName(connection.platform)}</Cell>
                  <Cell>
                    <StageBadge stage={connection.stage} />
                  </Cell>
                  <Cell>
                    <HealthBadge health={connection.health} />
                  </Cell>
                  <Cell>
                    <YesNoBadge value={connection.isReady} />
                  </Cell>
                  <Cell>
                    <DateTime value={connection.lastSyncCompletedAt} now={now} stacked />
                  </Cell>
                  <Cell>
                    <DateTime value={connection.nextSyncAt} now={now} stacked />
                  </Cell>
                  <Cell>
                    <DateTime value={connection.createdAt} now={now} stacked />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
          <nav aria-label="Pagination" className="mt-4 flex items-center justify-between gap-4">
            <div>
              {query.cursor && (
                <Link href={connectionsHref(query.filters)} className={buttonClasses("secondary")}>
                  First page
                </Link>
              )}
            </div>
            <div>
              {page.nextCursor && (
                <Link href={connectionsHref(query.filters, page.nextCursor)} className={buttonClasses("secondary")}>
                  Next page
                </Link>
              )}
            </div>
          </nav>
        </>
      )}
    </>
  );
}

function Filters({ filters }: { filters: ConnectionFilters }) {
  return (
    <form method="get" action="/connections" role="search" aria-label="Filter connections" className="mb-4 flex flex-wrap items-end gap-3">
      <FilterSelect
        label="Platform"
        name="platform"
        value={filters.platform}
        allLabel="All platforms"
        options={PLATFORM_CATALOG.map((platform) => ({ value: platform.key, label: platform.name }))}
      />
      <FilterSelect label="Stage" name="stage" value={filters.stage} allLabel="All stages" options={Object.values(ConnectionStage).map((stage) => ({ value: stage, label: humanize(stage) }))} />
      <FilterSelect label="Health" name="health" value={filters.health} allLabel="Any health" options={Object.values(ConnectionHealth).map((health) => ({ value: health, label: humanize(health) }))} />
      <button type="submit" className={buttonClasses("secondary")}>
        Apply filters
      </button>
      {hasFilters(filters) && (
        <Link href="/connections" className={buttonClasses("ghost")}>
          Clear
        </Link>
      )}
    </form>
  );
}

function FilterSelect({ label, name, value, allLabel, options }: { label: string; name: string; value: string | undefined | null; allLabel: string; options: { value: string; label: string }[] }) {
  return (
    <label className="text-xs font-medium text-slate-600">
      {label}
      <select
        name={name}
        defaultValue={value ?? ""}
        className="mt-1 block w-48 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500"
      >
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
