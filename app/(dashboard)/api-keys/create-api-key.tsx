"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyField } from "@/components/ui/copy";
import { createApiKeyAction } from "@/lib/dashboard/api-keys/actions";
import { API_KEY_NAME_MAX, type CreateApiKeyState } from "@/lib/dashboard/api-keys/schema";

const INITIAL: CreateApiKeyState = { status: "idle" };

/** The "Create API key" form and, once a key is made, the one-time panel with its secret. */
export function CreateApiKey({ environment }: { environment: string }) {
  const [state, formAction, pending] = useActionState(createApiKeyAction, INITIAL);
  // The secret lives in this component's memory only: "Done" or leaving the page forgets it.
  const [dismissedId, setDismissedId] = useState<string | null>(null);
  const created = state.status === "created" && state.key.id !== dismissedId ? state.key : null;
  const nameError = state.status === "invalid" ? state.fieldErrors.name : undefined;
  const name = state.status === "invalid" || state.status === "failed" ? state.name : "";

  return (
    <div className="mb-6 space-y-4">
      {created && <NewKeyPanel key={created.id} created={created} onDone={() => setDismissedId(created.id)} />}
      <Card title="Create an API key" description={`The key will work in ${environment} only. Name it after what will use it.`}>
        <form action={formAction} noValidate className="flex flex-wrap items-start gap-3">
          <div className="min-w-64 max-w-xl flex-1">
            <label htmlFor="api-key-name" className="block text-sm font-medium text-slate-700">
              Name
            </label>
            <input
              // A new key remounts the field so it starts empty; an error keeps what was typed.
              key={state.status === "created" ? state.key.id : "form"}
              id="api-key-name"
              name="name"
              type="text"
              defaultValue={name}
              maxLength={API_KEY_NAME_MAX + 20}
              placeholder="Production backend"
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? "api-key-name-error" : undefined}
              className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 ${
                nameError ? "border-red-400 focus:border-red-500 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
              }`}
            />
            {nameError && (
              <p id="api-key-name-error" className="mt-1.5 text-sm text-red-700">
                {nameError}
              </p>
            )}
          </div>
          <Button type="submit" disabled={pending} className="mt-6">
            {pending ? "Creating…" : "Create API key"}
          </Button>
        </form>
        {state.status === "failed" && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
            {state.message}
          </p>
        )}
      </Card>
    </div>
  );
}

function NewKeyPanel({ created, onDone }: { created: { name: string; clientId: string; secret: string }; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Move focus to the panel so keyboard and screen-reader users land on the secret.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="new-api-key-heading" className="rounded-lg border border-amber-300 bg-amber-50 px-5 py-4 shadow-sm">
      <h2 id="new-api-key-heading" ref={heading} tabIndex={-1} className="text-sm font-semibold text-slate-900 focus:outline-none">
        API key “{created.name}” created
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        <strong className="font-semibold">Copy the secret now: it will not be shown again.</strong> Tributary keeps only a hash of it. Store it in your secret
        manager; if it is lost, create a new key and revoke this one.
      </p>
      <div className="mt-4 space-y-3">
        <CopyField id="new-api-key-client-id" label="Client ID" value={created.clientId} />
        <CopyField id="new-api-key-secret" label="Secret" value={created.secret} />
      </div>
      <div className="mt-4 flex justify-end">
        <Button type="button" variant="secondary" onClick={onDone}>
          I have stored the secret
        </Button>
      </div>
    </section>
  );
}
