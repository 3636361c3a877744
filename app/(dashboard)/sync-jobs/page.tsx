import Link from "next/link";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getSyncJobs } from "@/lib/presenters/sync-jobs";
import { CATEGORY_LABELS, type PlatformCategory } from "@/lib/platforms/catalog";
import { formatCount } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Section, SectionEmpty } from "@/components/ui/section";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { buttonClasses } from "@/components/ui/button";
import { TRIGGER_HEAD, TriggerCells } from "@/components/sync-jobs/trigger-cells";
import { RunsTable } from "@/components/sync-jobs/runs-table";

export const metadata = { title: "Sync jobs" };

export default async function SyncJobsPage() {
  const context = await requireContext();
  const { jobs, runs, triggers } = await getSyncJobs(context.db);
  const canManage = hasRole(context, "admin");
  const now = new Date();
  const newJob = canManage ? (
    <Link href="/sync-jobs/new" className={buttonClasses("primary")}>
      New sync job
    </Link>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Sync jobs"
        description={`Declarative fetch plans that pull several resources from a ${context.environment} connection and stream them to one of your webhook endpoints, on demand or on a schedule.`}
        actions={jobs.length > 0 ? newJob : undefined}
      />
      {jobs.length === 0 ? (
        <EmptyState
          title="No sync jobs yet"
          action={
            <div className="flex flex-wrap justify-center gap-2">
              {newJob}
              <Link href="/webhooks" className={buttonClasses("secondary")}>
                Webhook endpoints
              </Link>
            </div>
          }
        >
          A sync job is a JSON plan, after Truto&apos;s RapidBridge: a platform category, the arguments it accepts, and the resources to fetch (for example{" "}
          <code className="font-mono text-xs">ticketing/tickets</code>, then each ticket&apos;s comments). Each run fetches from one connection and sends every
          page to a webhook endpoint, waiting for a 2xx before the next.{" "}
          {canManage ? "Start from a template in the editor, then run it on demand or add a cron trigger." : "Owners and admins can create them."}
        </EmptyState>
      ) : (
        <div className="space-y-8">
          <Section title="Jobs">
            <Table head={["Name", "Category", "Error handling", "Runs", "Cron triggers", "Updated"]}>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <Cell>
                    <Link href={`/sync-jobs/${job.id}`} className="font-medium text-brand-700 hover:underline">
                      {job.name}
                    </Link>
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
              <SectionEmpty>No runs yet. Open a job and use Run now, or add a cron trigger to run it on a schedule.</SectionEmpty>
            ) : (
              <RunsTable runs={runs} now={now} showJob />
            )}
          </Section>
          <Section title="Cron triggers" description="Schedules that start a job for one connection. Expressions are evaluated in UTC.">
            {triggers.length === 0 ? (
              <SectionEmpty>No cron triggers: jobs run only when started on demand. Add one from a job&apos;s page to run it on a schedule.</SectionEmpty>
            ) : (
              <Table head={["Job", ...TRIGGER_HEAD]}>
                {triggers.map((trigger) => (
                  <tr key={trigger.id}>
                    <Cell>
                      <Link href={`/sync-jobs/${trigger.syncJob.id}`} className="font-medium text-slate-900 hover:underline">
                        {trigger.syncJob.name}
                      </Link>
                    </Cell>
                    <TriggerCells trigger={trigger} now={now} />
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
