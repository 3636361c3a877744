import { requireContext } from "@/lib/auth/context";
import { Providers } from "@/components/providers";
import { MobileNav } from "@/components/shell/mobile-nav";
import { Sidebar } from "@/components/shell/sidebar";
import { EnvironmentSwitch } from "@/components/shell/environment-switch";
import { UserMenu } from "@/components/shell/user-menu";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const context = await requireContext();
  return (
    <Providers>
      <div className="flex min-h-screen">
        <Sidebar organizationName={context.organization.name} />
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-surface px-4 py-3 sm:px-8">
            <EnvironmentSwitch current={context.environment} />
            <UserMenu name={context.user.name} email={context.user.email} role={context.role} />
          </header>
          <MobileNav />
          {context.environment === "sandbox" && (
            <div className="border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-xs text-amber-800 sm:px-8">
              Sandbox: connections here use the emulated platforms, not your customers&apos; real accounts.
            </div>
          )}
          <main className="min-w-0 flex-1 px-4 py-6 sm:px-8 sm:py-7">{children}</main>
        </div>
      </div>
    </Providers>
  );
}
