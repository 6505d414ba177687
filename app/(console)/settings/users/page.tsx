import type { Metadata } from "next";
import { DataTable } from "@/components/DataTable";
import { Card, EmptyState, PageHeader, Timestamp } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { authorizePlatform } from "@/lib/authz/service";
import { listInvitations } from "@/lib/identity/invitations";
import { listUsers } from "@/lib/identity/users";
import { groupChoices } from "@/lib/identity/group-admin";
import { db } from "@/lib/db/client";
import { loadOr404 } from "@/lib/pages";
import { InviteForm, RevokeInvitationButton, UserActions } from "./UserForms";

export const metadata: Metadata = { title: "Users" };

/** Settings → Users (platform admins): who is here, invitations, disable / re-enable / remove. */
export default async function UsersPage() {
  const admin = await loadOr404(authorizePlatform(await requireUser()));
  const [users, invitations] = await Promise.all([listUsers(admin), listInvitations(admin)]);
  // Targets an invitation can grant, for the form's picker (the caller is a platform admin).
  const [clouds, projects, groups] = await Promise.all([
    db().cloud.findMany({ orderBy: { slug: "asc" }, select: { id: true, displayName: true } }),
    db().project.findMany({ orderBy: { slug: "asc" }, select: { id: true, name: true } }),
    groupChoices(),
  ]);
  const targets = [
    ...clouds.flatMap((c) => [
      { value: `cloud:${c.id}|observer`, label: `Observe Cloud ${c.displayName}` },
      { value: `cloud:${c.id}|manage`, label: `Manage Cloud ${c.displayName}` },
    ]),
    ...projects.flatMap((p) => [
      { value: `project:${p.id}|deploy`, label: `Deploy in Project ${p.name}` },
      { value: `project:${p.id}|manage`, label: `Own Project ${p.name}` },
    ]),
    ...groups.map((g) => ({ value: `group:${g.id}|member`, label: `Member of group ${g.displayName}` })),
    { value: "platform:plexsphere|manage", label: "Platform administrator" },
  ];
  return (
    <>
      <PageHeader title="Users" subtitle="Everyone who can sign in, and the invitations still open." />
      <div className="space-y-6">
        <Card title="People">
          <DataTable
            label="Users"
            columns={["Email", "Name", "Source", "Groups", "Last sign-in", "Status", { label: "Actions", srOnly: true }]}
          >
            {users.items.map((u) => (
              <tr key={u.id} data-user-email={u.email}>
                <td className="py-2 pr-4">{u.email}</td>
                <td className="py-2 pr-4">{u.displayName}</td>
                <td className="py-2 pr-4 text-slate-600">{u.source}</td>
                <td className="py-2 pr-4 text-slate-600">{u.groups.map((g) => g.displayName).join(", ") || "—"}</td>
                <td className="py-2 pr-4 text-slate-600">
                  <Timestamp value={u.lastSignInAt} />
                </td>
                <td className="py-2 pr-4" data-testid="user-status">
                  {u.status}
                </td>
                <td className="py-2 text-right">{u.id !== admin.id && <UserActions userId={u.id} email={u.email} status={u.status} />}</td>
              </tr>
            ))}
          </DataTable>
        </Card>
        <Card title="Invite someone">
          <InviteForm targets={targets} />
        </Card>
        <Card title="Invitations">
          {invitations.items.length === 0 ? (
            <EmptyState>No invitations yet.</EmptyState>
          ) : (
            <DataTable label="Invitations" columns={["Email", "Status", "Created", "Expires", { label: "Actions", srOnly: true }]}>
              {invitations.items.map((i) => (
                <tr key={i.id} data-invitation-email={i.email}>
                  <td className="py-2 pr-4">{i.email}</td>
                  <td className="py-2 pr-4">{i.status}</td>
                  <td className="py-2 pr-4 text-slate-600">
                    <Timestamp value={i.createdAt} />
                  </td>
                  <td className="py-2 pr-4 text-slate-600">
                    <Timestamp value={i.expiresAt} />
                  </td>
                  <td className="py-2 text-right">
                    {i.status === "pending" && <RevokeInvitationButton invitationId={i.id} email={i.email} />}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Card>
      </div>
    </>
  );
}
