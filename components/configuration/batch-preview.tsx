"use client";

import { InvalidConfigurationError, resolveConfiguration, type ConfigurationLevel } from "@/lib/sync/configuration";
import { describeCreatedWindow, previewBatches } from "@/lib/sync/preview";
import { objectLabel } from "@/lib/format";
import { formatMinutes } from "@/lib/format";
import type { PlatformObjects } from "@/lib/platforms/definition";

const list = (objects: string[]) => objects.map((object) => objectLabel(object).toLowerCase()).join(", ");

/**
 * What a new connection of `platform` would fetch with these levels, batch by batch, and the webhook
 * that ends each batch; computed by the same resolver the planner uses.
 */
export function BatchPreview({
  platform,
  windowless,
  organization,
  override,
}: {
  platform: PlatformObjects;
  windowless: string[];
  organization: ConfigurationLevel;
  override: ConfigurationLevel | null;
}) {
  let configuration;
  try {
    configuration = resolveConfiguration(platform, { organization, platform: override });
  } catch (error) {
    if (!(error instanceof InvalidConfigurationError)) throw error;
    return (
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
        The preview appears once the configuration is valid ({error.problems.length === 1 ? "1 problem" : `${error.problems.length} problems`}:{" "}
        {error.problems[0].message}).
      </p>
    );
  }
  const batches = previewBatches(configuration, windowless);
  return (
    <div>
      <ol className="space-y-2" aria-label={`What a new ${platform.name} connection fetches`} data-testid="batch-preview">
        {batches.map((batch) => (
          <li key={batch.position} className="flex gap-3 rounded-md border border-slate-200 bg-surface px-3 py-2 text-sm">
            <span className="mt-0.5 shrink-0 font-semibold text-slate-900">Batch {batch.position}</span>
            <div className="min-w-0">
              {batch.objects.length > 0 ? (
                <p className="text-slate-800">
                  {list(batch.objects)} {describeCreatedWindow(batch)} <span className="text-slate-500">→ then</span>{" "}
                  <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-800">{batch.event}</code>
                </p>
              ) : (
                <p className="text-slate-800">
                  nothing left to fetch ({describeCreatedWindow(batch)}: already fetched whole earlier) <span className="text-slate-500">→ then</span>{" "}
                  <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs text-slate-800">{batch.event}</code>
                </p>
              )}
              {(batch.remainder || batch.whole.length > 0) && (
                <p className="mt-0.5 text-xs text-slate-500">
                  {batch.remainder && "Added automatically: history no batch above covers. "}
                  {batch.whole.length > 0 && `${platform.name} cannot limit ${list(batch.whole)} to a window: fetched whole, once.`}
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
      <p className="mt-2 text-sm text-slate-600">
        Then incremental syncs every {formatMinutes(configuration.incrementalFrequencyMinutes)} of {list(configuration.objects)}, over{" "}
        {configuration.historyMonths} months of history.
      </p>
    </div>
  );
}
