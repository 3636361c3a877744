"use client";

import { useEffect, useRef, useState, useTransition, type KeyboardEvent } from "react";
import { DEFAULT_FREQUENCY_MINUTES, DEFAULT_HISTORY_MONTHS } from "@/lib/sync/configuration";
import type { EditorPlatform, SyncConfigurationEditor as EditorData } from "@/lib/presenters/sync-configuration";
import { objectLabel } from "@/lib/format";
import { objectKeys } from "@/lib/platforms/definition";
import { formatMinutes } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { ConfirmedButton } from "@/components/ui/confirm-dialog";
import { removeOverrideAction, saveLevelAction } from "@/lib/dashboard/sync-configuration/actions";
import type { SaveLevelState } from "@/lib/dashboard/sync-configuration/schema";
import { BatchEditor } from "./batch-editor";
import { BatchPreview } from "./batch-preview";
import {
  defaultBatchDrafts,
  describeDefaultBatches,
  describePath,
  draftOf,
  fieldErrors,
  forTransport,
  levelOf,
  newBatchId,
  UNIT_MINUTES,
  type FrequencyUnit,
  type LevelDraft,
} from "./draft";
import { FieldErrors, InheritableField, inputClasses } from "./fields";
import { ObjectPicker } from "./object-picker";

type Tab = "organization" | string;

export function SyncConfigurationEditor({ data, canEdit, environment }: { data: EditorData; canEdit: boolean; environment: string }) {
  const [tab, setTab] = useState<Tab>("organization");
  const tabs: { key: Tab; label: string; hint: string }[] = [
    { key: "organization", label: "Organization", hint: "every platform" },
    ...data.platforms.map((platform) => ({ key: platform.key, label: platform.name, hint: platform.override ? "override" : "follows organization" })),
  ];
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const onTabKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length].key;
    setTab(next);
    tabRefs.current.get(next)?.focus();
  };

  return (
    <div>
      <div role="tablist" aria-label="Configuration level" className="flex flex-wrap gap-1 border-b border-slate-200">
        {tabs.map((entry, index) => (
          <button
            key={entry.key}
            ref={(node) => {
              if (node) tabRefs.current.set(entry.key, node);
            }}
            role="tab"
            id={`tab-${entry.key}`}
            aria-selected={tab === entry.key}
            aria-controls={`panel-${entry.key}`}
            tabIndex={tab === entry.key ? 0 : -1}
            onClick={() => setTab(entry.key)}
            onKeyDown={(event) => onTabKey(event, index)}
            className={`-mb-px rounded-t-md border-b-2 px-4 py-2.5 text-left text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-300 ${
              tab === entry.key ? "border-brand-600 font-semibold text-slate-900" : "border-transparent text-slate-600 hover:text-slate-900"
            }`}
          >
            {entry.label}
            <span className="ml-2 text-xs font-normal text-slate-500">{entry.hint}</span>
          </button>
        ))}
      </div>
      {/* Every panel stays mounted so switching tabs keeps unsaved edits. */}
      <div id="panel-organization" role="tabpanel" aria-labelledby="tab-organization" hidden={tab !== "organization"} className="pt-6">
        <LevelEditor data={data} platform={null} canEdit={canEdit} environment={environment} />
      </div>
      {data.platforms.map((platform) => (
        <div
          key={platform.key}
          id={`panel-${platform.key}`}
          role="tabpanel"
          aria-labelledby={`tab-${platform.key}`}
          hidden={tab !== platform.key}
          className="pt-6"
        >
          <LevelEditor data={data} platform={platform} canEdit={canEdit} environment={environment} />
        </div>
      ))}
    </div>
  );
}

function LevelEditor({ data, platform, canEdit, environment }: { data: EditorData; platform: EditorPlatform | null; canEdit: boolean; environment: string }) {
  const [overriding, setOverriding] = useState(platform ? platform.override !== null : true);
  const [draft, setDraft] = useState<LevelDraft>(() => draftOf(platform ? platform.override : data.organization));
  const [result, setResult] = useState<SaveLevelState | null>(null);
  const [pending, startTransition] = useTransition();
  const [previewPlatform, setPreviewPlatform] = useState(data.platforms[0].key);
  const status = useRef<HTMLDivElement>(null);
  const id = platform?.key ?? "organization";
  const organization = levelOf(draftOf(data.organization));
  const problems = result?.status === "invalid" ? result.problems : [];
  const { byPath, form } = fieldErrors(problems);

  useEffect(() => {
    if (result) status.current?.focus();
  }, [result]);

  const change = (next: Partial<LevelDraft>, structural = false) => {
    setDraft((current) => ({ ...current, ...next }));
    // Errors name batches by position: after a reorder they would point at the wrong one.
    if (structural && result?.status === "invalid") setResult(null);
    else if (result?.status === "saved") setResult(null);
  };

  const save = () =>
    startTransition(async () => {
      const target = platform ? { kind: "platform" as const, platform: platform.key } : { kind: "organization" as const };
      setResult(await saveLevelAction({ target, level: forTransport(levelOf(draft)) }));
    });
  // Asked first in the app's dialog (ConfirmedButton); a failure is said inside it.
  const removeOverride = async (): Promise<{ ok: true } | { ok: false; message: string }> => {
    if (!platform) return { ok: true };
    const outcome = await removeOverrideAction(platform.key);
    if (outcome.status === "saved") return { ok: true };
    return { ok: false, message: outcome.status === "invalid" ? outcome.problems.map((problem) => problem.message).join(" ") : outcome.message };
  };
  const overrideRemoved = () => {
    setResult({ status: "saved", savedAt: new Date().toISOString() });
    setOverriding(false);
  };

  if (platform && !overriding) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-surface px-6 py-8 text-center">
        <h2 className="text-base font-semibold text-slate-900">{platform.name} follows the organization</h2>
        <p className="mx-auto mt-1 max-w-xl text-sm text-slate-600">
          {platform.name} connections use the organization&apos;s history range, frequency and batches, with every object {platform.name} offers. Override it to
          choose objects, batches or a frequency for {platform.name} only.
        </p>
        {result?.status === "saved" && <p className="mt-3 text-sm text-emerald-700">Override removed.</p>}
        {canEdit && (
          <Button type="button" className="mt-4" onClick={() => setOverriding(true)}>
            Override for {platform.name}
          </Button>
        )}
        <div className="mx-auto mt-6 max-w-2xl text-left">
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">What a new {platform.name} connection fetches</h3>
          <BatchPreview platform={platform} windowless={platform.windowless} organization={organization} override={null} />
        </div>
      </div>
    );
  }

  const inheritedHistory = platform ? (organization.historyMonths ?? DEFAULT_HISTORY_MONTHS) : DEFAULT_HISTORY_MONTHS;
  const inheritedFrequency = platform ? (organization.incrementalFrequencyMinutes ?? DEFAULT_FREQUENCY_MINUTES) : DEFAULT_FREQUENCY_MINUTES;
  const inheritLabel = platform ? "Inherit" : "Default";
  // The history this level syncs, which Tributary's default batches split: its own, else what it inherits.
  const ownHistory = draft.history === null ? null : Number(draft.history);
  const historyMonths = ownHistory !== null && Number.isInteger(ownHistory) && ownHistory > 0 ? ownHistory : inheritedHistory;
  const from = platform ? "from the organization" : "Tributary's default";
  const historyErrors = byPath.get("historyMonths");
  const frequencyErrors = byPath.get("incrementalFrequencyMinutes");
  const previewFor = platform ?? data.platforms.find((p) => p.key === previewPlatform)!;
  const previewLevels = platform
    ? { organization, override: levelOf(draft) }
    : { organization: levelOf(draft), override: previewFor.override ? levelOf(draftOf(previewFor.override)) : null };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]"
    >
      <fieldset disabled={!canEdit || pending} className="min-w-0 rounded-lg border border-slate-200 bg-surface px-5 py-5 shadow-sm">
        <legend className="sr-only">{platform ? `${platform.name} override` : "Organization configuration"}</legend>
        <div>
          {platform && (
            <InheritableField
              id={`${id}-objects`}
              label="Objects"
              hint={`What ${platform.name} connections import. Dependencies are added and fetched first.`}
              overriding={draft.objects !== null}
              onToggle={(on) => change({ objects: on ? objectKeys(platform) : null })}
              inheritLabel={inheritLabel}
              inherited={`Every object ${platform.name} offers: ${platform.objects.map((object) => objectLabel(object.key)).join(", ")}.`}
            >
              <ObjectPicker
                id={`${id}-objects`}
                platform={platform}
                selected={draft.objects ?? []}
                onChange={(objects) => change({ objects })}
                errors={byPath.get("objects")}
              />
            </InheritableField>
          )}
          <InheritableField
            id={`${id}-history`}
            label="History range"
            hint="How far back the initial sync goes, in months."
            overriding={draft.history !== null}
            onToggle={(on) => change({ history: on ? String(inheritedHistory) : null })}
            inheritLabel={inheritLabel}
            inherited={`${inheritedHistory} months (${from}).`}
          >
            <div className="flex items-center gap-2">
              <label htmlFor={`${id}-history-input`} className="sr-only">
                History range in months
              </label>
              <input
                id={`${id}-history-input`}
                inputMode="numeric"
                value={draft.history ?? ""}
                onChange={(event) => change({ history: event.target.value })}
                aria-invalid={historyErrors ? true : undefined}
                aria-describedby={historyErrors ? `${id}-history-errors` : undefined}
                className={inputClasses(Boolean(historyErrors), "w-28")}
              />
              <span className="text-sm text-slate-600">months</span>
            </div>
            <FieldErrors id={`${id}-history-errors`} messages={historyErrors} />
          </InheritableField>
          <InheritableField
            id={`${id}-frequency`}
            label="Incremental frequency"
            hint="How often a connection asks for what changed once its history is in: from 5 minutes to 14 days."
            overriding={draft.frequency !== null}
            onToggle={(on) => change({ frequency: on ? { value: String(inheritedFrequency), unit: "minutes" } : null })}
            inheritLabel={inheritLabel}
            inherited={`Every ${formatMinutes(inheritedFrequency)} (${from}).`}
          >
            <div className="flex items-center gap-2">
              <span className="text-sm text-slate-600">Every</span>
              <label htmlFor={`${id}-frequency-input`} className="sr-only">
                Incremental frequency
              </label>
              <input
                id={`${id}-frequency-input`}
                inputMode="numeric"
                value={draft.frequency?.value ?? ""}
                onChange={(event) => change({ frequency: { unit: draft.frequency?.unit ?? "minutes", value: event.target.value } })}
                aria-invalid={frequencyErrors ? true : undefined}
                aria-describedby={frequencyErrors ? `${id}-frequency-errors` : undefined}
                className={inputClasses(Boolean(frequencyErrors), "w-24")}
              />
              <label htmlFor={`${id}-frequency-unit`} className="sr-only">
                Unit
              </label>
              <select
                id={`${id}-frequency-unit`}
                value={draft.frequency?.unit ?? "minutes"}
                onChange={(event) => change({ frequency: { value: draft.frequency?.value ?? "", unit: event.target.value as FrequencyUnit } })}
                className={inputClasses(false, "w-32")}
              >
                {(Object.keys(UNIT_MINUTES) as FrequencyUnit[]).map((unit) => (
                  <option key={unit} value={unit}>
                    {unit}
                  </option>
                ))}
              </select>
            </div>
            <FieldErrors id={`${id}-frequency-errors`} messages={frequencyErrors} />
          </InheritableField>
          <InheritableField
            id={`${id}-batches`}
            label="Initial-sync batches"
            hint="Batch 1 makes a connection ready (INITIAL_UPDATE); each later batch fetches older history in the background (HISTORICAL_UPDATE)."
            overriding={draft.batches !== null}
            onToggle={(on) =>
              change(
                {
                  batches: on
                    ? (draftOf(platform ? data.organization : null).batches ?? defaultBatchDrafts(historyMonths)).map((batch) => ({
                        ...batch,
                        id: newBatchId(),
                      }))
                    : null,
                },
                true,
              )
            }
            inheritLabel={inheritLabel}
            inherited={
              platform && organization.batches.length
                ? `The organization's ${organization.batches.length === 1 ? "batch" : `${organization.batches.length} batches`}, with every selected object.`
                : `${platform ? "The organization's, Tributary's default" : "Default"}: ${describeDefaultBatches(historyMonths)}.`
            }
          >
            <BatchEditor
              id={`${id}-batches`}
              batches={draft.batches ?? []}
              onChange={(batches) => change({ batches }, true)}
              platform={platform}
              errors={byPath}
              whenEmpty={`Tributary's default applies: ${describeDefaultBatches(historyMonths)}.`}
            />
          </InheritableField>
        </div>

        <div ref={status} tabIndex={-1} className="mt-2 space-y-3 focus:outline-none">
          {result?.status === "saved" && (
            <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
              Saved. New {platform ? platform.name : ""} connections in {environment} use this configuration from now on.
            </p>
          )}
          {result?.status === "failed" && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
              {result.message}
            </p>
          )}
          {result?.status === "invalid" && (
            <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
              <p className="font-medium">
                Nothing was saved: fix {problems.length === 1 ? "the problem" : `the ${problems.length} problems`} shown {form.length ? "below and " : ""}beside
                the fields.
              </p>
              {form.length > 0 && (
                <ul className="mt-1 list-disc pl-5">
                  {form.map((problem) => (
                    <li key={`${problem.platform}-${problem.path}`}>
                      {problem.platform ? `${data.platforms.find((p) => p.key === problem.platform)?.name ?? problem.platform}, ` : ""}
                      {describePath(problem.path)}: {problem.message}
                      {!platform && problem.platform ? " (its override inherits this)" : ""}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
        {canEdit && (
          <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4">
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : platform ? `Save ${platform.name} override` : "Save organization configuration"}
            </Button>
            {platform && (
              <ConfirmedButton
                label="Remove override"
                title={`Remove the ${platform.name} override?`}
                confirmLabel="Remove override"
                pendingLabel="Removing…"
                variant="ghost"
                disabled={pending}
                action={removeOverride}
                done={overrideRemoved}
              >
                {platform.name} connections will follow the organization&apos;s configuration again.
              </ConfirmedButton>
            )}
          </div>
        )}
      </fieldset>

      <aside className="space-y-4" aria-label="Preview">
        <section className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-4">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 className="text-sm font-semibold text-slate-900">Preview</h2>
            {!platform && (
              <div className="flex items-center gap-2">
                <label htmlFor="preview-platform" className="text-xs text-slate-600">
                  For
                </label>
                <select
                  id="preview-platform"
                  value={previewPlatform}
                  onChange={(event) => setPreviewPlatform(event.target.value)}
                  className={inputClasses(false, "py-1 text-xs")}
                >
                  {data.platforms.map((p) => (
                    <option key={p.key} value={p.key}>
                      {p.name}
                      {p.override ? " (has an override)" : ""}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
          <BatchPreview platform={previewFor} windowless={previewFor.windowless} {...previewLevels} />
        </section>
        <ExistingConnections platforms={platform ? [platform] : data.platforms} />
      </aside>
    </form>
  );
}

/** What a saved change means for connections that already exist (lib/sync/planner.ts reads the configuration at each run). */
function ExistingConnections({ platforms }: { platforms: EditorPlatform[] }) {
  const total = platforms.reduce((sum, p) => sum + p.connections.total, 0);
  const initial = platforms.reduce((sum, p) => sum + p.connections.inInitialSync, 0);
  const ongoing = total - initial;
  return (
    <section className="rounded-lg border border-slate-200 bg-surface px-4 py-4 text-sm text-slate-600">
      <h2 className="mb-2 text-sm font-semibold text-slate-900">Existing connections</h2>
      {total === 0 ? (
        <p>No connections yet: every connection made from now on uses what is saved here.</p>
      ) : (
        <ul className="list-disc space-y-1.5 pl-5">
          <li>
            <strong className="font-medium text-slate-800">{ongoing}</strong> syncing incrementally: new objects and frequency apply from their next sync. New
            batches and a longer history do not: their history is already fetched (start a backfill on a connection for more).
          </li>
          <li>
            <strong className="font-medium text-slate-800">{initial}</strong> still in their first batches: they continue with the new batch list from their
            next batch; batches they completed are not fetched again.
          </li>
        </ul>
      )}
    </section>
  );
}
