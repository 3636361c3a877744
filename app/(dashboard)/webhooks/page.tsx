import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { getWebhooks } from "@/lib/presenters/webhooks";
import { PageHeader } from "@/components/ui/page-header";
import { Section, SectionEmpty } from "@/components/ui/section";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { buttonClasses } from "@/components/ui/button";

export const metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const context = await requireContext();
  const { endpoints, deliveries } = await getWebhooks(context.db);
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Webhooks"
        description={`The endpoints that receive ${context.environment} events (connection lifecycle, sync progress, data changes) and what was delivered to them.`}
      />
      {endpoints.length === 0 ? (
        <EmptyState
          title="No webhook endpoints yet"
          action={
            <Link href="/api-keys" className={buttonClasses("secondary")}>
              API keys
            </Link>
          }
        >
          A webhook endpoint is a URL of your backend that receives Tributary&apos;s events as they happen: a connection becoming ready or needing an update,
          syncs completing or failing, records created, updated or deleted. Each delivery is signed following the Standard Webhooks specification (
          <code className="font-mono text-xs">webhook-id</code>, <code className="font-mono text-xs">webhook-signature</code>) and retried until your endpoint
          answers 2xx. To start, create an API key, add an endpoint through the REST API&apos;s webhook endpoints resource (described in{" "}
          <code className="font-mono text-xs">/api/v1/openapi.json</code>), and keep the <code className="font-mono text-xs">whsec_</code> secret it returns to
          verify signatures.
        </EmptyState>
      ) : (
        <Section title="Endpoints" description="Secrets are never shown after creation.">
          <Table head={["Endpoint", "Status", "Events", "Created"]}>
            {endpoints.map((endpoint) => (
              <tr key={endpoint.id}>
                <Cell>
                  <div className="max-w-md truncate font-mono text-xs text-slate-900" title={endpoint.url}>
                    {endpoint.url}
                  </div>
                  <div className="text-xs text-slate-500">{endpoint.description || endpoint.id}</div>
                </Cell>
                <Cell>
                  {endpoint.enabled ? (
                    <Badge tone={endpoint.failingSince ? "yellow" : "green"}>{endpoint.failingSince ? "Failing" : "Enabled"}</Badge>
                  ) : (
                    <Badge tone="red">Disabled</Badge>
                  )}
                  {!endpoint.enabled && (endpoint.disabledReason || endpoint.disabledAt) && (
                    <div className="mt-1 max-w-xs whitespace-normal text-xs text-slate-600">
                      <div>{endpoint.disabledReason ?? "No reason recorded"}</div>
                      {endpoint.disabledAt && (
                        <div className="text-slate-500">
                          since <DateTime value={endpoint.disabledAt} now={now} />
                        </div>
                      )}
                    </div>
                  )}
                  {endpoint.enabled && endpoint.failingSince && (
                    <div className="mt-1 text-xs text-slate-600">
                      since <DateTime value={endpoint.failingSince} now={now} />
                    </div>
                  )}
                </Cell>
                <Cell>
                  {endpoint.eventTypes.length === 0 ? (
                    "All events"
                  ) : (
                    <ul className="flex max-w-md flex-wrap gap-1" aria-label="Event types">
                      {endpoint.eventTypes.map((type) => (
                        <li key={type} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                          {type}
                        </li>
                      ))}
                    </ul>
                  )}
                  {endpoint.objects.length > 0 && <div className="mt-1 text-xs text-slate-500">Data events for: {endpoint.objects.join(", ")}</div>}
                </Cell>
                <Cell>
                  <DateTime value={endpoint.createdAt} now={now} />
                </Cell>
              </tr>
            ))}
          </Table>
        </Section>
      )}

      {(endpoints.length > 0 || deliveries.length > 0) && (
        <Section title="Latest deliveries" description="The 20 most recent event deliveries across endpoints, newest first." className="mt-6">
          {deliveries.length === 0 ? (
            <SectionEmpty>
              Nothing delivered yet. Deliveries appear here as soon as an event matches an endpoint&apos;s filter, for example when a customer connects an
              account through Link.
            </SectionEmpty>
          ) : (
            <Table head={["Event type", "Status", "Attempts", "Endpoint", "Created", "Last attempt"]}>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <Cell className="font-mono text-xs text-slate-900">{delivery.event.type}</Cell>
                  <Cell>
                    <StatusBadge status={delivery.status} />
                  </Cell>
                  <Cell className="tabular-nums">{delivery.attemptCount}</Cell>
                  <Cell>
                    <div className="max-w-xs truncate font-mono text-xs" title={delivery.endpoint.url}>
                      {delivery.endpoint.url}
                    </div>
                  </Cell>
                  <Cell>
                    <DateTime value={delivery.createdAt} now={now} />
                  </Cell>
                  <Cell>
                    <DateTime value={delivery.lastAttemptAt} now={now} />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Section>
      )}
    </>
  );
}
