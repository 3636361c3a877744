"use client";
// Current password, new password twice: used by Settings and by the forced change of a temporary
// password. The action (lib/dashboard/change-password) is handed in by the page.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { PasswordChangeField as Fields } from "@/lib/auth/credentials";
import type { ChangePasswordFormState } from "@/lib/dashboard/change-password/schema";

const INITIAL: ChangePasswordFormState = { status: "idle" };

const INPUT = "block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2";

export function ChangePasswordForm({
  action,
  currentLabel = "Current password",
  submitLabel = "Change password",
}: {
  action: (previous: ChangePasswordFormState, form: FormData) => Promise<ChangePasswordFormState>;
  currentLabel?: string;
  submitLabel?: string;
}) {
  const [state, formAction, pending] = useActionState(action, INITIAL);
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const field = (id: string, name: Fields, label: string, autoComplete: string, hint?: string) => (
    <Field id={id} label={label} error={errors[name]} hint={hint}>
      {(props) => (
        <input
          {...props}
          name={name}
          type="password"
          autoComplete={autoComplete}
          required
          className={`${INPUT} ${errors[name] ? "border-red-400 focus:border-red-500 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"}`}
        />
      )}
    </Field>
  );
  return (
    // Keyed by the outcome, so a successful change empties the fields.
    <form key={state.status === "changed" ? "changed" : "form"} action={formAction} noValidate className="max-w-md space-y-4">
      {field("current-password", "currentPassword", currentLabel, "current-password")}
      {field("new-password", "newPassword", "New password", "new-password", "At least 12 characters.")}
      {field("confirm-password", "confirmPassword", "New password again", "new-password")}
      {state.status === "failed" && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          {state.message}
        </p>
      )}
      {state.status === "changed" && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
          Password changed.{" "}
          {state.endedSessions === 0
            ? "You had no other sessions."
            : `${state.endedSessions} other ${state.endedSessions === 1 ? "session was" : "sessions were"} signed out.`}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : submitLabel}
      </Button>
    </form>
  );
}
