import Link from "next/link";
import { requireContext } from "@/lib/auth/context";
import { getPlatforms, type PlatformSummary } from "@/lib/presenters/platforms";
import { AUTH_LABELS, CATEGORY_LABELS } from "@/lib/platforms/catalog";
import { plural } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { DescriptionList } from "@/components/ui/description-list";

export const metadata = { title: "Platforms" };

export default async function PlatformsPage() {
  const context = await requireContext();
  const platforms = await getPlatforms(context.db);
  const sandbox = context.environment === "sandbox";

  return (
    <>
      <PageHeader
        title="Platforms"
        description={`The third-party platforms your customers can connect through Link, and how each is set up in ${context.environment}.`}
      />
      <p className="mb-6 max-w-3xl rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-600">
        {sandbox ? (
          <>
            <strong className="font-semibold text-slate-900">Sandbox:</strong> these platforms are emulated. Connections made here talk to Tributary&apos;s
            local emulators of the Shopify, QuickBooks Online and Zendesk APIs, with demo data, instead of your customers&apos; real accounts.
          </>
        ) : (
          <>
            <strong className="font-semibold text-slate-900">Production:</strong> connections made here reach your customers&apos; real accounts. Each platform
            needs your own developer app&apos;s credentials (OAuth client id and secret) and must be enabled before Link offers it.
          </>
        )}
      </p>
      <div className="grid gap-6 lg:grid-cols-2 xl:grid-cols-3">
        {platforms.map((summary) => (
          <PlatformCard key={summary.platform.key} summary={summary} environment={context.environment} />
        ))}
      </div>
    </>
  );
}

function PlatformCard({ summary, environment }: { summary: PlatformSummary; environment: string }) {
  const { platform, config, connections } = summary;
  return (
    <section aria-labelledby={`platform-${platform.key}`} className="flex flex-col rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div>
          <h2 id={`platform-${platform.key}`} className="text-base font-semibold text-slate-900">
            {platform.name}
          </h2>
          <p className="mt-0.5 text-xs font-medium uppercase tracking-wide text-slate-500">
            {CATEGORY_LABELS[platform.category]} · <code className="font-mono normal-case">{platform.key}</code>
          </p>
        </div>
        {config ? <Badge tone={config.enabled ? "green" : "gray"}>{config.enabled ? "Enabled" : "Disabled"}</Badge> : <Badge tone="gray">Not configured</Badge>}
      </header>
      <div className="flex flex-1 flex-col gap-4 px-5 py-4">
        <p className="text-sm text-slate-600">{platform.description}</p>
        <DescriptionList
          columns={2}
          items={[
            ["Authentication", AUTH_LABELS[platform.auth]],
            [
              "Connections",
              connections > 0 ? (
                <Link key="connections" href={`/connections?platform=${platform.key}`} className="font-medium text-brand-700 hover:underline">
                  {plural(connections, "connection")}
                </Link>
              ) : (
                "None yet"
              ),
            ],
            [
              "Client ID",
              config?.hasClientId ? (
                <Badge key="id" tone="green">
                  Client ID set
                </Badge>
              ) : (
                <Badge key="id">Not set</Badge>
              ),
            ],
            [
              "Client secret",
              config?.hasClientSecret ? (
                <Badge key="secret" tone="green">
                  Set
                </Badge>
              ) : (
                <Badge key="secret">Not set</Badge>
              ),
            ],
          ]}
        />
        <div>
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Objects</h3>
          <ul className="mt-1.5 flex flex-wrap gap-1.5" aria-label={`${platform.name} objects`}>
            {platform.objects.map((object) => (
              <li key={object} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">
                {object}
              </li>
            ))}
          </ul>
        </div>
        {config && config.scopes.length > 0 && (
          <div>
            <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">OAuth scopes</h3>
            <p className="mt-1 break-words font-mono text-xs text-slate-700">{config.scopes.join(" ")}</p>
          </div>
        )}
        <p className="mt-auto border-t border-slate-100 pt-3 text-xs text-slate-500">
          {config ? (
            <>
              Configuration last changed <DateTime value={config.updatedAt} />.{!config.enabled && " Enable it so that Link offers it to your customers."}
            </>
          ) : (
            `No configuration for ${environment} yet: enable ${platform.name} and add your developer app's OAuth credentials so that Link offers it to your customers.`
          )}
        </p>
      </div>
    </section>
  );
}
