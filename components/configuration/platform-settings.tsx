"use client";

import { useActionState, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmedButton } from "@/components/ui/confirm-dialog";
import { clearCredentialsAction, saveCredentialsAction, setPlatformEnabledAction } from "@/lib/dashboard/platforms/actions";
import type { CredentialsState } from "@/lib/dashboard/platforms/schema";
import { FieldErrors, inputClasses } from "./fields";

export interface CredentialStatus {
  set: boolean;
  endsWith: string | null;
}

const describe = (status: CredentialStatus) =>
  !status.set ? "Not set" : status.endsWith ? `Set · ends in …${status.endsWith}` : "Set · unreadable with the current secret key";

/** The on/off switch of a platform in this environment. */
export function PlatformToggle({
  platform,
  name,
  enabled,
  canEdit,
  environment,
}: {
  platform: string;
  name: string;
  enabled: boolean;
  canEdit: boolean;
  environment: string;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const toggle = () =>
    startTransition(async () => {
      const result = await setPlatformEnabledAction(platform, !enabled);
      setError(result.ok ? null : result.message);
    });
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center gap-2">
        <span id={`${platform}-enabled-label`} className="text-sm text-slate-700">
          Enabled in {environment}
        </span>
        <button
          type="button"
          role="switch"
          aria-checked={enabled}
          aria-labelledby={`${platform}-enabled-label`}
          disabled={!canEdit || pending}
          onClick={toggle}
          title={canEdit ? undefined : "Only owners and admins can change this"}
          className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-400 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-60 ${
            enabled ? "bg-brand-600" : "bg-slate-300"
          }`}
        >
          <span className="sr-only">{name}</span>
          <span className={`inline-block size-5 rounded-full bg-surface shadow transition-transform ${enabled ? "translate-x-5" : "translate-x-0.5"}`} />
        </button>
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

const INITIAL: CredentialsState = { status: "idle" };

/** Client ID, client secret (write-only: only whether it is set and its last characters come back) and scopes. */
export function CredentialsForm({
  platform,
  name,
  clientId,
  clientSecret,
  scopes,
  defaultScopes,
  separator,
  canEdit,
}: {
  platform: string;
  name: string;
  clientId: CredentialStatus;
  clientSecret: CredentialStatus;
  scopes: string[];
  defaultScopes: string[];
  separator: string;
  canEdit: boolean;
}) {
  const [state, formAction, pending] = useActionState(saveCredentialsAction, INITIAL);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const field = (key: string) => `${platform}-${key}`;
  const joined = scopes.join(separator === "," ? "," : " ");
  return (
    <form action={formAction} noValidate className="space-y-4">
      <input type="hidden" name="platform" value={platform} />
      <fieldset disabled={!canEdit || pending} className="space-y-4">
        <legend className="sr-only">{name} developer credentials</legend>
        <div>
          <div className="flex items-baseline justify-between gap-2">
            <label htmlFor={field("client-id")} className="block text-sm font-medium text-slate-700">
              Client ID
            </label>
            <span className="text-xs text-slate-500" data-testid={`${platform}-client-id-status`}>
              {describe(clientId)}
            </span>
          </div>
          <input
            // A save remounts the field empty: stored values are never put back into the page.
            key={state.status === "saved" ? state.at : "form"}
            id={field("client-id")}
            name="clientId"
            autoComplete="off"
            spellCheck={false}
            defaultValue={state.status === "invalid" ? state.clientId : ""}
            placeholder={clientId.set ? "Leave empty to keep the current one" : "From your developer app"}
            aria-invalid={errors.clientId ? true : undefined}
            aria-describedby={errors.clientId ? `${field("client-id")}-errors` : undefined}
            className={inputClasses(Boolean(errors.clientId), "mt-1 w-full font-mono")}
          />
          <FieldErrors id={`${field("client-id")}-errors`} messages={errors.clientId ? [errors.clientId] : undefined} />
        </div>
        <div>
          <div className="flex items-baseline justify-between gap-2">
            <label htmlFor={field("client-secret")} className="block text-sm font-medium text-slate-700">
              Client secret
            </label>
            <span className="text-xs text-slate-500" data-testid={`${platform}-client-secret-status`}>
              {describe(clientSecret)}
            </span>
          </div>
          <input
            key={state.status === "saved" || state.status === "invalid" ? `${state.status}-${state.status === "saved" ? state.at : ""}` : "form"}
            id={field("client-secret")}
            name="clientSecret"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            placeholder={clientSecret.set ? "Leave empty to keep the current one" : "Stored encrypted; never shown again"}
            aria-invalid={errors.clientSecret ? true : undefined}
            aria-describedby={errors.clientSecret ? `${field("client-secret")}-errors` : undefined}
            className={inputClasses(Boolean(errors.clientSecret), "mt-1 w-full font-mono")}
          />
          <FieldErrors id={`${field("client-secret")}-errors`} messages={errors.clientSecret ? [errors.clientSecret] : undefined} />
        </div>
        <div>
          <label htmlFor={field("scopes")} className="block text-sm font-medium text-slate-700">
            OAuth scopes
          </label>
          <input
            key={state.status === "saved" ? `scopes-${state.at}` : "scopes"}
            id={field("scopes")}
            name="scopes"
            spellCheck={false}
            defaultValue={state.status === "invalid" ? state.scopes : joined}
            aria-invalid={errors.scopes ? true : undefined}
            aria-describedby={`${field("scopes")}-hint${errors.scopes ? ` ${field("scopes")}-errors` : ""}`}
            className={inputClasses(Boolean(errors.scopes), "mt-1 w-full font-mono")}
          />
          <p id={`${field("scopes")}-hint`} className="mt-1 text-xs text-slate-500">
            What the consent page asks for. Default: <code className="font-mono">{defaultScopes.join(separator === "," ? "," : " ")}</code>; empty restores it.
          </p>
          <FieldErrors id={`${field("scopes")}-errors`} messages={errors.scopes ? [errors.scopes] : undefined} />
        </div>
      </fieldset>
      {state.status === "saved" && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
          {state.message}
        </p>
      )}
      {state.status === "failed" && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          {state.message}
        </p>
      )}
      {canEdit && (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save credentials"}
          </Button>
          {(clientId.set || clientSecret.set) && (
            <ConfirmedButton
              label="Remove credentials"
              title={`Remove ${name}'s client ID and secret?`}
              confirmLabel="Remove credentials"
              pendingLabel="Removing…"
              variant="ghost"
              disabled={pending}
              action={() => clearCredentialsAction(platform)}
              done={() => undefined}
            >
              In production, Link stops offering {name} until new ones are saved.
            </ConfirmedButton>
          )}
        </div>
      )}
    </form>
  );
}
