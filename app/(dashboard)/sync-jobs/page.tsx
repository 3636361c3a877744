import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { getSyncJobs, type SyncJobsView } from "@/lib/presenters/sync-jobs";
import { CATEGORY_LABELS, platformName, type PlatformCategory } from "@/lib/platforms/catalog";
import { formatCount } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Section, SectionEmpty } from "@/components/ui/section";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { StatusBadge, YesNoBadge } from "@/components/ui/status-badge";
import { buttonClasses } from "@/components/ui/button";

export const metadata = { title: "Sync jobs" };

export default async function SyncJobsPage() {
  const context = await requireContext();
  const { jobs, runs, triggers } = await getSyncJobs(context.db);
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Sync jobs"
        description={`Declarative fetch plans that pull several resources from a ${context.environment} connection and stream them to one of your webhook endpoints, on demand or on a schedule.`}
      />
      {jobs.length === 0 ? (
        <EmptyState
          title="No sync jobs yet"
          action={
            <Link href="/webhooks" className={buttonClasses("secondary")}>
              Webhook endpoints
            </Link>
          }
        >
          A sync job is a JSON plan, after Truto&apos;s RapidBridge: a platform category, the arguments it accepts, and the resources to fetch (for example{" "}
          <code className="font-mono text-xs">ticketing/tickets</code>, then each ticket&apos;s comments), with error handling{" "}
          <code className="font-mono text-xs">ignore</code> or <code className="font-mono text-xs">fail_fast</code>. Each run fetches from one connection and
          sends every page to a webhook endpoint, waiting for a 2xx before the next. To start, set up a webhook endpoint, then create a job through the REST API
          and run it on demand or add a cron trigger.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <Section title="Jobs">
            <Table head={["Name", "Category", "Error handling", "Runs", "Cron triggers", "Updated"]}>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <Cell>
                    <div className="font-medium text-slate-900">{job.name}</div>
                    <div className="font-mono text-xs text-slate-500">{job.id}</div>
                  </Cell>
                  <Cell>{CATEGORY_LABELS[job.category as PlatformCategory] ?? job.category}</Cell>
                  <Cell>
                    <code className="font-mono text-xs">{job.errorHandling}</code>
                  </Cell>
                  <Cell className="tabular-nums">{formatCount(job._count.runs)}</Cell>
                  <Cell className="tabular-nums">{formatCount(job._count.cronTriggers)}</Cell>
                  <Cell>
                    <DateTime value={job.updatedAt} now={now} />
                  </Cell>
                </tr>
              ))}
            </Table>
          </Section>
          <Section title="Recent runs" description="The 20 most recent runs across jobs, newest first.">
            {runs.length === 0 ? (
              <SectionEmpty>No runs yet. Start a job on demand through the REST API, or add a cron trigger to run it on a schedule.</SectionEmpty>
            ) : (
              <Table head={["Job", "Status", "Connection", "Created", "Finished"]}>
                {runs.map((run) => (
                  <tr key={run.id}>
                    <Cell className="font-medium text-slate-900">{run.syncJob.name}</Cell>
                    <Cell>
                      <StatusBadge status={run.status} />
                    </Cell>
                    <Cell>
                      <ConnectionLink connection={run.connection} />
                    </Cell>
                    <Cell>
                      <DateTime value={run.createdAt} now={now} />
                    </Cell>
                    <Cell>
                      <DateTime value={run.finishedAt} now={now} />
                    </Cell>
                  </tr>
                ))}
              </Table>
            )}
          </Section>
          <Section title="Cron triggers" description="Schedules that start a job for one connection. Expressions are evaluated in UTC.">
            {triggers.length === 0 ? (
              <SectionEmpty>No cron triggers: jobs run only when started on demand. Add a trigger to run a job on a schedule.</SectionEmpty>
            ) : (
              <Table head={["Job", "Expression (UTC)", "Connection", "Active", "Last run", "Next run"]}>
                {triggers.map((trigger) => (
                  <tr key={trigger.id}>
                    <Cell className="font-medium text-slate-900">{trigger.syncJob.name}</Cell>
                    <Cell>
                      <code className="font-mono text-xs">{trigger.expression}</code>
                    </Cell>
                    <Cell>
                      <ConnectionLink connection={trigger.connection} />
                    </Cell>
                    <Cell>
                      <YesNoBadge value={trigger.active} yes="Active" no="Paused" />
                    </Cell>
                    <Cell>
                      <DateTime value={trigger.lastRunAt} now={now} />
                    </Cell>
                    <Cell>{trigger.active ? <DateTime value={trigger.nextRunAt} now={now} /> : "—"}</Cell>
                  </tr>
                ))}
              </Table>
            )}
          </Section>
        </div>
      )}
    </>
  );
}

function ConnectionLink({ connection }: { connection: SyncJobsView["runs"][number]["connection"] }) {
  return (
    <Link href={`/connections/${connection.id}`} className="text-brand-700 hover:underline">
      {connection.accountName ?? connection.platformAccountId ?? connection.id}
      <span className="text-slate-500"> · {platformName(connection.platform)}</span>
    </Link>
  );
}
