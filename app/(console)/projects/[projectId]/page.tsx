import type { Metadata } from "next";
import { Card, EmptyState, PageHeader, StatusBadge, Timestamp } from "@/components/ui";
import { availableCredentials, canDecide, credentialNamesFor, listProjectAssignments } from "@/lib/assignments/service";
import { check } from "@/lib/authz/service";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/pages";
import { getProject, listMembers } from "@/lib/projects/service";
import { AddMemberForm, RemoveMemberButton, RequestButton } from "../ProjectForms";
import { AssignmentStates } from "./AssignmentStates";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage(props: { params: Promise<{ projectId: string }> }) {
  const user = await requireUser();
  const { projectId } = await props.params;
  const project = await loadOr404(getProject(user, projectId));
  const [members, isOwner, mayDeploy, { items: assignments }] = await Promise.all([
    listMembers(user, project.id),
    canDecide(user, project.id),
    check(user, "deploy", { project: project.id }),
    listProjectAssignments(user, project.id),
  ]);
  const available = mayDeploy ? await availableCredentials(user, project.id) : [];
  const credentialNames = await credentialNamesFor(user, project.id, [...assignments.map((a) => a.cloudCredentialId), ...available.map((c) => c.id)]);

  return (
    <>
      <PageHeader title={project.name} subtitle={<span className="font-mono">{project.slug}</span>} back={{ href: "/projects", label: "Projects" }} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Available credentials">
          {!mayDeploy ? (
            <EmptyState>Only members who deploy from this Project can request credentials.</EmptyState>
          ) : available.length === 0 ? (
            <EmptyState>No active credential of a Cloud usable in this Project.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {available.map((c) => (
                <li key={c.id} className="flex items-center justify-between gap-3 py-2">
                  <span>
                    <span className="font-medium">{c.displayName}</span> <StatusBadge status={c.status} />
                    <span className="ml-2 text-xs text-slate-500">
                      expires <Timestamp value={c.expiresAt} />
                    </span>
                  </span>
                  <RequestButton projectId={project.id} credentialId={c.id} name={c.displayName} />
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Requests and assignments">
          <AssignmentStates
            projectId={project.id}
            credentialNames={credentialNames}
            mayDecide={isOwner}
            initial={assignments.map((a) => ({ id: a.id, cloud_credential_id: a.cloudCredentialId, state: a.state, updated_at: a.updatedAt.toISOString() }))}
          />
        </Card>
        <Card title="Members">
          <ul className="divide-y divide-slate-100 text-sm">
            {members.map((m) => (
              <li key={`${m.userId}-${m.relation}`} className="flex items-center justify-between py-2">
                <span>{m.email}</span>
                <span className="flex items-center gap-2 text-slate-500">
                  {m.relation === "manage" ? "owner" : "deploy"}
                  {isOwner && <RemoveMemberButton projectId={project.id} userId={m.userId} relation={m.relation} email={m.email} />}
                </span>
              </li>
            ))}
          </ul>
          {isOwner && (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <AddMemberForm projectId={project.id} />
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
