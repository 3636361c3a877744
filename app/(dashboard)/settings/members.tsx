"use client";
// Members: add a teammate (a new person's temporary password is shown once), change a role, remove.
import { useActionState, useEffect, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  addMemberAction,
  changeRoleAction,
  removeMemberAction,
  setEnvironmentSwitchAction,
  type AddMemberState,
  type EnvironmentSwitchName,
} from "@/lib/dashboard/settings/actions";

const INITIAL: AddMemberState = { status: "idle" };
const ROLE_HELP = { owner: "Everything, including members", admin: "Configuration, keys, webhooks", viewer: "Read only" } as const;

export function AddMember() {
  const [state, formAction, pending] = useActionState(addMemberAction, INITIAL);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const added = state.status === "added" && state.memberId !== dismissed ? state : null;
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const values = state.status === "invalid" || state.status === "failed" ? state.values : { email: "", name: "", role: "viewer" };
  const formKey = state.status === "added" ? state.memberId : "form";

  return (
    <div className="space-y-4">
      {added && <AddedPanel email={added.email} temporaryPassword={added.temporaryPassword} onDone={() => setDismissed(added.memberId)} />}
      <Card title="Add a member" description="They sign in with their email. Someone new to this Tributary gets a temporary password to pass on.">
        <form key={formKey} action={formAction} noValidate className="grid gap-4 md:grid-cols-[1fr_1fr_12rem_auto] md:items-start">
          <Field id="member-email" name="email" label="Email" type="email" placeholder="ada@example.com" defaultValue={values.email} error={errors.email} />
          <Field id="member-name" name="name" label="Name" placeholder="Ada Lovelace" defaultValue={values.name} error={errors.name} />
          <div>
            <label htmlFor="member-role" className="block text-sm font-medium text-slate-700">
              Role
            </label>
            <select
              id="member-role"
              name="role"
              defaultValue={values.role || "viewer"}
              aria-invalid={errors.role ? true : undefined}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-surface px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
            >
              {(["viewer", "admin", "owner"] as const).map((role) => (
                <option key={role} value={role}>
                  {role.charAt(0).toUpperCase() + role.slice(1)} — {ROLE_HELP[role]}
                </option>
              ))}
            </select>
            {errors.role && <p className="mt-1.5 text-sm text-red-700">{errors.role}</p>}
          </div>
          <Button type="submit" disabled={pending} className="md:mt-6">
            {pending ? "Adding…" : "Add member"}
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

function Field(props: { id: string; name: string; label: string; type?: string; placeholder: string; defaultValue: string; error?: string }) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-700">
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        placeholder={props.placeholder}
        autoComplete="off"
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 ${
          props.error ? "border-red-400 focus:border-red-500 focus:ring-red-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"
        }`}
      />
      {props.error && (
        <p id={`${props.id}-error`} className="mt-1.5 text-sm text-red-700">
          {props.error}
        </p>
      )}
    </div>
  );
}

function AddedPanel({ email, temporaryPassword, onDone }: { email: string; temporaryPassword: string | null; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      aria-labelledby="member-added-heading"
      className={`rounded-lg border px-5 py-4 shadow-sm ${temporaryPassword ? "border-amber-300 bg-amber-50" : "border-emerald-200 bg-emerald-50"}`}
    >
      <h2 id="member-added-heading" ref={heading} tabIndex={-1} className="text-sm font-semibold text-slate-900 focus:outline-none">
        {email} added
      </h2>
      {temporaryPassword ? (
        <>
          <p className="mt-1 text-sm text-amber-900">
            <strong className="font-semibold">Pass this temporary password on now: it will not be shown again.</strong> They sign in at /sign-in with their
            email and it, and choose their own password then.
          </p>
          <label htmlFor="temporary-password" className="mt-3 block text-xs font-medium uppercase tracking-wide text-slate-600">
            Temporary password
          </label>
          <input
            id="temporary-password"
            readOnly
            value={temporaryPassword}
            onFocus={(event) => event.currentTarget.select()}
            className="mt-1 block w-full max-w-sm rounded-md border border-slate-300 bg-surface px-3 py-2 font-mono text-sm text-slate-900 shadow-sm"
          />
        </>
      ) : (
        <p className="mt-1 text-sm text-emerald-900">They already have an account on this Tributary and can switch to this organization when they sign in.</p>
      )}
      <div className="mt-4 flex justify-end">
        <Button type="button" variant="secondary" onClick={onDone}>
          Done
        </Button>
      </div>
    </section>
  );
}

/** An owner's role control on a member's row; a refused change (the last owner) says why. */
export function RoleSelect({ memberId, name, role }: { memberId: string; name: string; role: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div>
      <label htmlFor={`role-${memberId}`} className="sr-only">
        Role of {name}
      </label>
      <select
        id={`role-${memberId}`}
        value={role}
        disabled={pending}
        onChange={(event) => {
          const next = event.target.value;
          startTransition(async () => {
            setError(null);
            const result = await changeRoleAction(memberId, next);
            if (!result.ok) setError(result.message);
          });
        }}
        className="rounded-md border border-slate-300 bg-surface py-1 pr-7 pl-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100"
      >
        <option value="owner">Owner</option>
        <option value="admin">Admin</option>
        <option value="viewer">Viewer</option>
      </select>
      {error && (
        <p role="alert" className="mt-1 max-w-56 text-xs whitespace-normal text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** "Remove" on a member's row, with a confirmation. */
export function RemoveMember({ memberId, name, isYou }: { memberId: string; name: string; isYou: boolean }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        aria-label={`Remove ${name}`}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
        className="rounded-md px-2.5 py-1 text-sm font-medium text-red-700 transition-colors hover:bg-red-50 hover:text-red-800"
      >
        Remove
      </button>
      <ConfirmDialog
        open={open}
        title={`Remove ${name}${isYou ? " (you)" : ""}?`}
        confirmLabel="Remove member"
        pendingLabel="Removing…"
        pending={pending}
        error={error}
        onConfirm={() =>
          startTransition(async () => {
            const result = await removeMemberAction(memberId);
            if (result.ok) setOpen(false);
            else setError(result.message);
          })
        }
        onClose={() => setOpen(false)}
      >
        <p>
          {isYou ? "You will lose access to this organization at once." : "They lose access to this organization at once."} Their account stays, and they can be
          added again later.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** One of the current environment's switches (settings/page.tsx). */
export function EnvironmentSwitch({
  name,
  label,
  enabled,
  environment,
  canChange,
}: {
  name: EnvironmentSwitchName;
  label: string;
  enabled: boolean;
  environment: string;
  canChange: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        role="switch"
        aria-checked={enabled}
        aria-label={`${label} in ${environment}`}
        disabled={!canChange || pending}
        onClick={() =>
          startTransition(async () => {
            const result = await setEnvironmentSwitchAction(name, !enabled);
            setError(result.ok ? null : result.message);
          })
        }
        className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-60 ${enabled ? "bg-brand-600" : "bg-slate-300"}`}
      >
        <span className={`inline-block h-5 w-5 rounded-full bg-surface shadow transition-transform ${enabled ? "translate-x-5" : "translate-x-0.5"}`} />
      </button>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
