import Link from "next/link";
import { hasRole, requireContext } from "@/lib/auth/context";
import { availablePlatforms } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";
import { ConnectionHealth, ConnectionStage } from "@/lib/generated/prisma/enums";
import { PLATFORM_CATALOG, platformName } from "@/lib/platforms/catalog";
import {
  CONNECTION_SORTS,
  CONNECTIONS_PAGE_SIZE,
  connectionsHref,
  getConnectionPage,
  hasFilters,
  parseConnectionQuery,
  SEARCH_MAX_LENGTH,
  type ConnectionQuery,
  type ConnectionRow,
} from "@/lib/presenters/connections";
import { SEARCH_COUNT_LIMIT } from "@/lib/presenters/connections-list";
import { formatCount, humanize, plural } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { buttonClasses } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { HealthBadge, StageBadge, YesNoBadge } from "@/components/ui/status-badge";
import { PlatformLogo } from "@/components/platform-logo";
import { ConnectAccount } from "@/components/connections/connect-account";

export const metadata = { title: "Connections" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = await requireContext();
  const params = await searchParams;
  const query = parseConnectionQuery(params);
  const scope = { organizationId: context.organization.id, environment: context.environment };
  const [page, offered] = await Promise.all([getConnectionPage(context.db, scope, query), availablePlatforms(getEngine().db, scope)]);
  const narrowed = hasFilters(query.filters) || Boolean(query.search);
  const deleted = typeof params.deleted === "string" ? params.deleted : null;
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Connections"
        description={`Your customers' accounts on each platform in ${context.environment}: where their sync stands and whether it is healthy.`}
        actions={!hasRole(context, "admin") ? undefined : offered.length > 0 ? <ConnectAccount /> : <NoPlatformEnabled environment={context.environment} />}
      />
      {deleted && (
        <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2.5 text-sm text-emerald-800">
          Deleted the connection <strong className="font-semibold">{deleted}</strong>: it no longer syncs and its records are gone.
        </p>
      )}
      {!page.anyConnection ? (
        <EmptyState
          title="No connections yet"
          action={
            <div className="flex flex-wrap justify-center gap-2">
              <Link href="/platforms" className={buttonClasses("secondary")}>
                Set up platforms
              </Link>
              <Link href="/api-keys" className={buttonClasses("secondary")}>
                API keys
              </Link>
            </div>
          }
        >
          A connection appears here when one of your customers connects their store, accounting system or help desk through Link
          {offered.length > 0 && <>, or when you use “Connect an account” above</>}. Your backend creates link sessions with an API key (
          <code className="font-mono text-xs">POST /api/v1/link/sessions</code>) and opens Link in your app with their token.
        </EmptyState>
      ) : (
        <>
          <Filters query={query} />
          <p className="mb-3 text-sm text-slate-600" aria-live="polite">
            {summary(page.total, narrowed)} · sorted by {CONNECTION_SORTS[query.sort].toLowerCase()}
            {(page.total === null || page.total > CONNECTIONS_PAGE_SIZE) && `, ${CONNECTIONS_PAGE_SIZE} per page`}
          </p>
          {page.rows.length === 0 ? (
            <EmptyState
              title={narrowed ? "No connections match" : "No more connections"}
              action={
                <Link href={narrowed ? "/connections" : connectionsHref(query)} className={buttonClasses("secondary")}>
                  {narrowed ? "Clear search and filters" : "Back to the first page"}
                </Link>
              }
            >
              {narrowed
                ? "Search matches the start of an account name, platform account id or end-user id, or a whole connection id. Try fewer letters, or another platform, stage or health."
                : "This page is past the last connection."}
            </EmptyState>
          ) : (
            <ConnectionTable rows={page.rows} now={now} />
          )}
          <nav aria-label="Pagination" className="mt-4 flex items-center justify-between gap-4">
            <div>
              {query.cursor && (
                <Link href={connectionsHref(query)} className={buttonClasses("secondary")}>
                  First page
                </Link>
              )}
            </div>
            <div>
              {page.nextCursor && (
                <Link href={connectionsHref(query, page.nextCursor)} className={buttonClasses("secondary")}>
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

/** Link would refuse to open (it offers no platform here): say why where the button would be. */
function NoPlatformEnabled({ environment }: { environment: string }) {
  return (
    <div className="flex max-w-xs flex-col items-start gap-2 sm:items-end sm:text-right">
      <Link href="/platforms" className={buttonClasses("primary")}>
        Set up platforms
      </Link>
      <p className="text-xs text-slate-500">No platform is enabled in {environment}: enable one with your developer credentials to connect accounts.</p>
    </div>
  );
}

function summary(total: number | null, narrowed: boolean): string {
  if (total === null) return `More than ${formatCount(SEARCH_COUNT_LIMIT)} connections match`;
  return narrowed ? `${plural(total, "connection")} ${total === 1 ? "matches" : "match"}` : plural(total, "connection");
}

function ConnectionTable({ rows, now }: { rows: ConnectionRow[]; now: Date }) {
  return (
    <Table
      head={[
        "Platform",
        "Account",
        "Stage",
        "Health",
        "Ready",
        "Last sync",
        "Next sync",
        <span key="records" className="block text-right">
          Records
        </span>,
      ]}
    >
      {rows.map((connection) => (
        <tr key={connection.id} className="hover:bg-slate-50">
          <Cell>
            <span className="inline-flex items-center gap-2.5">
              <PlatformLogo platform={connection.platform} size={24} />
              {platformName(connection.platform)}
            </span>
          </Cell>
          <Cell>
            <Link href={`/connections/${connection.id}`} className="font-medium text-brand-700 hover:underline">
              {connection.accountName ?? connection.platformAccountId ?? connection.id}
            </Link>
            {connection.accountName && connection.platformAccountId && connection.platformAccountId !== connection.accountName && (
              <div className="font-mono text-xs text-slate-500">{connection.platformAccountId}</div>
            )}
            {connection.endUserId && <div className="text-xs text-slate-500">end user {connection.endUserId}</div>}
          </Cell>
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
            <NextSync connection={connection} now={now} />
          </Cell>
          <Cell className="text-right tabular-nums">{formatCount(connection.recordCount)}</Cell>
        </tr>
      ))}
    </Table>
  );
}

function NextSync({ connection, now }: { connection: ConnectionRow; now: Date }) {
  if (connection.health === "DISABLED" || connection.health === "NEEDS_UPDATE") return <span className="text-slate-500">Stopped</span>;
  if (connection.incrementalPausedAt) return <span className="text-amber-800">Paused (backfill)</span>;
  if (!connection.nextSyncAt) return <span className="text-slate-500">{connection.isReady ? "—" : "Now"}</span>;
  return <DateTime value={connection.nextSyncAt} now={now} stacked />;
}

const FIELD =
  "mt-1 block rounded-md border border-slate-300 bg-surface px-2.5 py-1.5 text-sm text-slate-900 shadow-sm focus:border-brand-500 focus:outline-none focus:ring-1 focus:ring-brand-500";

function Filters({ query }: { query: ConnectionQuery }) {
  const { filters } = query;
  return (
    <form method="get" action="/connections" role="search" aria-label="Search and filter connections" className="mb-4 flex flex-wrap items-end gap-3">
      <label className="text-xs font-medium text-slate-600">
        Search
        <input
          type="search"
          name="q"
          defaultValue={query.search ?? ""}
          maxLength={SEARCH_MAX_LENGTH}
          placeholder="Account, account id, end user or conn_…"
          aria-describedby="connection-search-hint"
          className={`${FIELD} w-64`}
        />
      </label>
      <FilterSelect
        label="Platform"
        name="platform"
        value={filters.platform}
        allLabel="All platforms"
        options={PLATFORM_CATALOG.map((platform) => ({ value: platform.key, label: platform.name }))}
      />
      <FilterSelect
        label="Stage"
        name="stage"
        value={filters.stage}
        allLabel="All stages"
        options={Object.values(ConnectionStage).map((stage) => ({ value: stage, label: humanize(stage) }))}
      />
      <FilterSelect
        label="Health"
        name="health"
        value={filters.health}
        allLabel="Any health"
        options={Object.values(ConnectionHealth).map((health) => ({ value: health, label: humanize(health) }))}
      />
      <label className="text-xs font-medium text-slate-600">
        Sort
        <select name="sort" defaultValue={query.sort} className={`${FIELD} w-36`}>
          {Object.entries(CONNECTION_SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonClasses("secondary")}>
        Apply
      </button>
      {(hasFilters(filters) || query.search || query.sort !== "newest") && (
        <Link href="/connections" className={buttonClasses("ghost")}>
          Reset
        </Link>
      )}
      <p id="connection-search-hint" className="sr-only">
        Matches the start of an account name, a platform account id or an end-user id, ignoring case, or a whole connection id.
      </p>
    </form>
  );
}

function FilterSelect({
  label,
  name,
  value,
  allLabel,
  options,
}: {
  label: string;
  name: string;
  value: string | undefined | null;
  allLabel: string;
  options: { value: string; label: string }[];
}) {
  return (
    <label className="text-xs font-medium text-slate-600">
      {label}
      <select name={name} defaultValue={value ?? ""} className={`${FIELD} w-36`}>
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
