import { SignOutButton } from "@/components/auth/sign-out-button";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  return (
    <div className="flex items-center gap-3">
      <div className="hidden text-right sm:block">
        <div className="text-sm font-medium text-slate-800">{name}</div>
        <div className="text-xs text-slate-500">
          {email} · {role}
        </div>
      </div>
      <SignOutButton />
    </div>
  );
}
