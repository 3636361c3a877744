import { hasRole, requireContext } from "@/lib/auth/context";
import { getDb } from "@/lib/db/client";
import { getRetention, getSettings } from "@/lib/presenters/settings";
import { humanize } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Section } from "@/components/ui/section";
import { Badge } from "@/components/ui/badge";
import { Table, Cell } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { DescriptionList } from "@/components/ui/description-list";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { changePasswordAction } from "@/lib/dashboard/change-password/actions";
import { AddMember, EnvironmentSwitch, RemoveMember, RoleSelect } from "./members";
import { EnvironmentDelete } from "./environment-delete";
import { RetentionSettings } from "./retention";

export const metadata = { title: "Settings" };

const ROLE_TONES = { owner: "blue", admin: "green", viewer: "gray" } as const;

const ENVIRONMENT_SWITCHES = [
  {
    name: "emitDataEventsOnInitial",
    label: "Data events during initial and historical syncs",
    description: (
      <>
        Whether the first syncs also emit <code className="font-mono">&lt;OBJECT&gt;_CREATED</code> and <code className="font-mono">_UPDATED</code> events. Off
        by default: a new connection would otherwise send one event per record.
      </>
    ),
  },
  {
    name: "keepPlatformData",
    label: "Keep platform payloads",
    description: (
      <>
        Whether syncs store each record&apos;s payload as the platform sent it, served with <code className="font-mono">expand=platform_data</code>. On by
        default; stored deflated, about 190 bytes a record. Off, syncs spend less CPU and store none (a record written meanwhile loses its payload); turned back
        on, a backfill brings them all back.
      </>
    ),
  },
] as const;

export default async function SettingsPage() {
  const context = await requireContext();
  const [{ members, environments }, retention] = await Promise.all([getSettings(context.db), getRetention(getDb(), context.organization.id)]);
  const now = new Date();
  const isOwner = hasRole(context, "owner");
  const canConfigure = hasRole(context, "admin");

  return (
    <>
      <PageHeader title="Settings" description={`${context.organization.name}'s organization details, members and environments.`} />
      <div className="space-y-6">
        <Card title="Organization">
          <DescriptionList
            items={[
              ["Name", context.organization.name],
              [
                "Slug",
                <code key="slug" className="font-mono text-xs">
                  {context.organization.slug}
                </code>,
              ],
              [
                "Organization ID",
                <code key="id" className="font-mono text-xs">
                  {context.organization.id}
                </code>,
              ],
            ]}
          />
        </Card>

        <Section
          title="Members"
          description={
            isOwner
              ? "Owners manage members; owners and admins change configuration, keys and webhooks; viewers can only read."
              : "Owners and admins can change configuration; viewers can only read. Only owners add or remove members."
          }
        >
          <Table head={isOwner ? ["Name", "Email", "Role", "Member since", "Last sign-in", ""] : ["Name", "Email", "Role", "Member since", "Last sign-in"]}>
            {members.map((member) => (
              <tr key={member.id}>
                <Cell className="font-medium text-slate-900">
                  {member.user.name}
                  {member.userId === context.user.id && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                </Cell>
                <Cell>{member.user.email}</Cell>
                <Cell>
                  {isOwner ? (
                    <RoleSelect memberId={member.id} name={member.user.name} role={member.role} />
                  ) : (
                    <Badge tone={ROLE_TONES[member.role]}>{humanize(member.role)}</Badge>
                  )}
                </Cell>
                <Cell>
                  <DateTime value={member.createdAt} now={now} />
                </Cell>
                <Cell>
                  {member.user.lastSignInAt ? <DateTime value={member.user.lastSignInAt} now={now} /> : <span className="text-slate-500">Never</span>}
                </Cell>
                {isOwner && (
                  <Cell className="text-right">
                    <RemoveMember memberId={member.id} name={member.user.name} isYou={member.userId === context.user.id} />
                  </Cell>
                )}
              </tr>
            ))}
          </Table>
          {isOwner && (
            <div className="mt-4">
              <AddMember />
            </div>
          )}
        </Section>

        <Card title="Your password" description="Changing it signs you out everywhere else; this session stays.">
          <ChangePasswordForm action={changePasswordAction} />
        </Card>

        <Card
          title="Environments"
          description="Sandbox and production keep separate connections, configuration, webhooks and API keys. Switch between them with the environment switch in the header."
        >
          {environments.length === 0 ? (
            <p className="text-sm text-slate-600">This organization has no environment rows; they are created with the organization.</p>
          ) : (
            <ul className="grid gap-4 md:grid-cols-2">
              {environments.map((environment) => {
                const current = environment.kind === context.environment;
                return (
                  <li
                    key={environment.id}
                    className={`rounded-lg border px-4 py-3 ${current ? "border-brand-500 bg-brand-50/40 ring-1 ring-brand-500" : "border-slate-200"}`}
                    aria-current={current ? "true" : undefined}
                  >
                    <div className="flex items-center justify-between gap-3">
                      <h3 className="text-sm font-semibold capitalize text-slate-900">{environment.kind}</h3>
                      {current && <Badge tone="blue">Current</Badge>}
                    </div>
                    <p className="mt-1 text-xs text-slate-600">
                      {environment.kind === "sandbox"
                        ? "Connections use the emulated platforms and demo data."
                        : "Connections reach your customers' real accounts."}
                    </p>
                    {ENVIRONMENT_SWITCHES.map((setting) => (
                      <div key={setting.name} className="mt-3 flex items-start justify-between gap-4 border-t border-slate-100 pt-3">
                        <div>
                          <div className="text-sm text-slate-900">{setting.label}</div>
                          <p className="mt-0.5 text-xs text-slate-600">{setting.description}</p>
                        </div>
                        {current ? (
                          <EnvironmentSwitch
                            name={setting.name}
                            label={setting.label}
                            enabled={environment[setting.name]}
                            environment={environment.kind}
                            canChange={canConfigure}
                          />
                        ) : (
                          <span className="text-xs whitespace-nowrap text-slate-500">{environment[setting.name] ? "On" : "Off"} · switch to change</span>
                        )}
                      </div>
                    ))}
                    {current && canConfigure && (
                      <EnvironmentDelete
                        environment={environment.kind}
                        connections={environment.connections}
                        requestedAt={environment.deleteConnectionsRequestedAt?.toISOString() ?? null}
                      />
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>

        <RetentionSettings policy={retention} canChange={canConfigure} />
      </div>
    </>
  );
}
