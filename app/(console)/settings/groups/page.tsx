import type { Metadata } from "next";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { authorizePlatform } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { listGroups, listMemberships } from "@/lib/identity/group-admin";
import { loadOr404 } from "@/lib/pages";
import { AddMemberForm, CreateGroupForm, DeleteGroupButton, RemoveMemberButton } from "./GroupForms";

export const metadata: Metadata = { title: "Groups" };

/** Settings → Groups (platform admins): local groups and IdP groups, with their members. */
export default async function GroupsPage() {
  const admin = await loadOr404(authorizePlatform(await requireUser()));
  const { items: groups } = await listGroups(admin);
  const members = await Promise.all(groups.map((g) => listMemberships(admin, g.id)));
  // The binding list is for the IdP group form.
  const bindings = await db().idpBinding.findMany({ orderBy: { alias: "asc" }, select: { id: true, alias: true } });
  const aliases = new Map(bindings.map((b) => [b.id, b.alias]));
  return (
    <>
      <PageHeader
        title="Groups"
        subtitle="Grant access to teams: share Clouds with a group, make a group a Project's owners or deployers."
      />
      <div className="space-y-6">
        <Card title="New group">
          <CreateGroupForm bindings={bindings} />
        </Card>
        {groups.length === 0 && <EmptyState>No groups yet.</EmptyState>}
        {groups.map((g, i) => (
          <section key={g.id} aria-label={`Group ${g.displayName}`} data-group-slug={g.slug}>
            <Card title={g.displayName}>
              <p className="mb-3 text-sm text-slate-600">
                <span className="font-mono">{g.slug}</span> ·{" "}
                {g.source === "idp"
                  ? `IdP group: claim value “${g.idpClaimValue}” of ${aliases.get(g.idpBindingId ?? "") ?? "a binding"} (synchronised at sign-in)`
                  : "local group"}
              </p>
              {members[i].length === 0 ? (
                <p className="text-sm text-slate-500">No members.</p>
              ) : (
                <ul className="mb-3 divide-y divide-slate-100 text-sm">
                  {members[i].map((m) => (
                    <li key={m.userId} className="flex items-center justify-between py-2">
                      <span>
                        {m.email} <span className="text-slate-500">({m.source})</span>
                      </span>
                      <RemoveMemberButton groupId={g.id} userId={m.userId} email={m.email} groupName={g.displayName} />
                    </li>
                  ))}
                </ul>
              )}
              <div className="flex flex-wrap items-end justify-between gap-3">
                {g.source === "manual" ? <AddMemberForm groupId={g.id} /> : <span />}
                <DeleteGroupButton groupId={g.id} name={g.displayName} />
              </div>
            </Card>
          </section>
        ))}
      </div>
    </>
  );
}
