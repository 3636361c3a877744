// What the password change answers the form (components/auth/change-password-form.tsx).
import type { PasswordChangeField } from "@/lib/auth/credentials";

export type ChangePasswordFormState =
  | { status: "idle" }
  | { status: "invalid"; fieldErrors: Partial<Record<PasswordChangeField, string>> }
  | { status: "failed"; message: string }
  | { status: "changed"; endedSessions: number };
