import Link from "next/link";
import { hasRole, requireContext } from "@/lib/auth/context";
import { getPlatforms, type PlatformSummary } from "@/lib/presenters/platforms";
import { AUTH_LABELS, CATEGORY_LABELS } from "@/lib/platforms/catalog";
import { oauthRedirectUri } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";
import { platformWebhookUrl } from "@/lib/sync/platform-webhooks";
import { plural } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { CredentialsForm, PlatformToggle } from "@/components/configuration/platform-settings";

export const metadata = { title: "Platforms" };

export default async function PlatformsPage() {
  const context = await requireContext();
  const platforms = await getPlatforms(context.db, context.environment);
  const sandbox = context.environment === "sandbox";
  const canEdit = hasRole(context, "admin");
  const engine = getEngine();
  const urls = { redirect: oauthRedirectUri(engine), appUrl: engine.appUrl };

  return (
    <>
      <PageHeader
        title="Platforms"
        description={`The third-party platforms your customers can connect through Link, and how each is set up in ${context.environment}.`}
      />
      <p className="mb-6 max-w-3xl rounded-md border border-slate-200 bg-surface px-4 py-3 text-sm text-slate-600">
        {sandbox ? (
          <>
            <strong className="font-semibold text-slate-900">Sandbox:</strong> these platforms are emulated, with demo data, and every one is offered in Link
            unless you switch it off. Credentials are optional here: without them Tributary uses the emulators&apos; own OAuth app.
          </>
        ) : (
          <>
            <strong className="font-semibold text-slate-900">Production:</strong> connections reach your customers&apos; real accounts. Link offers a platform
            once it is enabled and has your developer app&apos;s client ID and secret; register the redirect URI below with that app.
          </>
        )}
        {!canEdit && " Only owners and admins can change these settings."}
      </p>
      <div className="space-y-6">
        {platforms.map((summary) => (
          <PlatformCard key={summary.platform.key} summary={summary} environment={context.environment} canEdit={canEdit} urls={urls} />
        ))}
      </div>
    </>
  );
}

function PlatformCard({
  summary,
  environment,
  canEdit,
  urls,
}: {
  summary: PlatformSummary;
  environment: string;
  canEdit: boolean;
  urls: { redirect: string; appUrl: string };
}) {
  const { platform, config, connections } = summary;
  const missing = [!summary.clientId.set && "client ID", !summary.clientSecret.set && "client secret"].filter(Boolean);
  const linkStatus = summary.offeredInLink
    ? "Link offers it to your customers."
    : !summary.enabled
      ? "Switched off: Link does not offer it."
      : `Link does not offer it until its ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} saved.`;
  return (
    <section
      aria-labelledby={`platform-${platform.key}`}
      data-testid={`platform-${platform.key}`}
      className="rounded-lg border border-slate-200 bg-surface shadow-sm"
    >
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-100 px-5 py-4">
        <div>
          <div className="flex items-center gap-2">
            <h2 id={`platform-${platform.key}`} className="text-base font-semibold text-slate-900">
              {platform.name}
            </h2>
            <Badge tone={summary.offeredInLink ? "green" : summary.enabled ? "yellow" : "gray"}>
              {summary.offeredInLink ? "Offered in Link" : summary.enabled ? "Needs credentials" : "Off"}
            </Badge>
          </div>
          <p className="mt-0.5 text-xs font-medium uppercase tracking-wide text-slate-500">
            {CATEGORY_LABELS[platform.category]} · {AUTH_LABELS[platform.auth]} · <code className="font-mono normal-case">{platform.key}</code>
          </p>
          <p className="mt-1 text-sm text-slate-600" data-testid={`${platform.key}-link-status`}>
            {linkStatus}
          </p>
        </div>
        <PlatformToggle platform={platform.key} name={platform.name} enabled={summary.enabled} canEdit={canEdit} environment={environment} />
      </header>
      <div className="grid gap-6 px-5 py-5 lg:grid-cols-2">
        <div className="min-w-0 space-y-4 text-sm">
          <p className="text-slate-600">{platform.description}</p>
          <dl className="space-y-3">
            <Row label="Connections">
              {connections > 0 ? (
                <Link href={`/connections?platform=${platform.key}`} className="font-medium text-brand-700 hover:underline">
                  {plural(connections, "connection")}
                </Link>
              ) : (
                "None yet"
              )}
            </Row>
            <Row label="OAuth redirect URI" hint={`Register it with your ${platform.name} developer app.`}>
              <code className="block break-all rounded bg-slate-50 px-2 py-1 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-200">
                {urls.redirect}
              </code>
            </Row>
            {summary.changeWebhooks && (
              <Row
                label="Change notifications"
                hint={`Tributary subscribes each connection to ${platform.name}'s change webhooks at this address (one per connection), so changes sync without waiting for the next scheduled run.`}
              >
                <code className="block break-all rounded bg-slate-50 px-2 py-1 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-200">
                  {platformWebhookUrl(urls.appUrl, platform.key, "{connection_id}")}
                </code>
              </Row>
            )}
            <Row label="Objects">
              <ul className="flex flex-wrap gap-1.5" aria-label={`${platform.name} objects`}>
                {platform.objects.map(({ key }) => (
                  <li key={key} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">
                    {key}
                  </li>
                ))}
              </ul>
            </Row>
          </dl>
          {config && (
            <p className="text-xs text-slate-500">
              Settings last changed <DateTime value={config.updatedAt} />.
            </p>
          )}
        </div>
        <div className="min-w-0 rounded-md border border-slate-200 bg-slate-50/60 px-4 py-4">
          <h3 className="mb-3 text-sm font-semibold text-slate-900">Developer credentials</h3>
          <CredentialsForm
            platform={platform.key}
            name={platform.name}
            clientId={summary.clientId}
            clientSecret={summary.clientSecret}
            scopes={summary.scopes.values}
            defaultScopes={summary.scopes.defaults}
            separator={summary.scopes.separator}
            canEdit={canEdit}
          />
        </div>
      </div>
    </section>
  );
}

function Row({ label, hint, children }: { label: string; hint?: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-slate-800">{children}</dd>
      {hint && <dd className="mt-1 text-xs text-slate-500">{hint}</dd>}
    </div>
  );
}
