import type { Metadata } from "next";
import { IdWithCopy } from "@/components/CopyButton";
import { Pager } from "@/components/Pager";
import { Card, EmptyState, PageHeader, StatusBadge, Timestamp } from "@/components/ui";
import { availableCredentials, canDecide, credentialNamesFor, listProjectAssignments, usableCloudLabels } from "@/lib/assignments/service";
import { check } from "@/lib/authz/service";
import { requireUser } from "@/lib/auth/session";
import { loadOr404 } from "@/lib/pages";
import type { SearchParams } from "@/lib/lists/page-params";
import { membersForPage } from "@/lib/projects/pages";
import { cloudLabelsForProject, listProjectCloudAssignments } from "@/lib/projects/cloud-assignments";
import { getProject } from "@/lib/projects/service";
import { groupChoices } from "@/lib/identity/group-admin";
import { AddMemberForm, RemoveMemberButton, RequestButton, RequestCloudForm } from "../ProjectForms";
import { AssignmentStates } from "./AssignmentStates";

type Props = { params: Promise<{ projectId: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const project = await loadOr404(getProject(await requireUser(), (await props.params).projectId));
  return { title: `Project ${project.name}` };
}

export default async function ProjectPage(props: Props) {
  const user = await requireUser();
  const { projectId } = await props.params;
  const project = await loadOr404(getProject(user, projectId));
  const [members, isOwner, mayDeploy, { items: assignments }, { items: cloudAssignments }, cloudLabels] = await Promise.all([
    membersForPage(user, project.id, await props.searchParams),
    canDecide(user, project.id),
    check(user, "deploy", { project: project.id }),
    listProjectAssignments(user, project.id),
    listProjectCloudAssignments(user, project.id),
    cloudLabelsForProject(user, project.id),
  ]);
  // Owners may grant to groups; they pick from every group's name.
  const [available, clouds, groups] = await Promise.all([
    mayDeploy ? availableCredentials(user, project.id) : [],
    usableCloudLabels(user, project.id),
    isOwner ? groupChoices() : [],
  ]);
  // A credential already requested or approved here is not offered again (the database refuses a second live one anyway).
  const live = new Map(
    assignments.filter((a) => a.state === "requested" || a.state === "approved").map((a) => [a.cloudCredentialId, a.state]),
  );
  const credentialNames = await credentialNamesFor(user, project.id, [
    ...assignments.map((a) => a.cloudCredentialId),
    ...available.map((c) => c.id),
  ]);

  return (
    <>
      <PageHeader
        title={project.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-x-3">
            <span className="font-mono">{project.slug}</span>
            <IdWithCopy id={project.id} label="Copy Project id" />
          </span>
        }
        back={{ href: "/projects", label: "Projects" }}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Available credentials">
          {!mayDeploy ? (
            <EmptyState>Only members who deploy from this Project can request credentials.</EmptyState>
          ) : available.length === 0 ? (
            <EmptyState>
              No active credential of a Cloud usable in this Project. A Cloud&apos;s manager makes it usable here from the Cloud&apos;s
              page, or approves this Project&apos;s request for it.
            </EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {available.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 py-2">
                  <span className="min-w-0">
                    <span className="font-medium">{c.displayName}</span> <StatusBadge status={c.status} />
                    <span className="block text-xs text-slate-600">
                      {clouds[c.cloudId] && (
                        <>
                          Cloud {clouds[c.cloudId].displayName} (<span className="font-mono">{clouds[c.cloudId].slug}</span>) ·{" "}
                        </>
                      )}
                      expires <Timestamp value={c.expiresAt} />
                    </span>
                  </span>
                  {live.has(c.id) ? (
                    <span className="text-xs font-medium text-slate-500" data-testid="already-requested">
                      {live.get(c.id) === "approved" ? "assigned" : "requested"}
                    </span>
                  ) : (
                    <RequestButton projectId={project.id} credentialId={c.id} name={c.displayName} />
                  )}
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
            initial={assignments.map((a) => ({
              id: a.id,
              cloud_credential_id: a.cloudCredentialId,
              state: a.state,
              updated_at: a.updatedAt.toISOString(),
            }))}
            reasons={Object.fromEntries(
              assignments.filter((a) => (a.state === "rejected" || a.state === "revoked") && a.reason).map((a) => [a.id, a.reason!]),
            )}
          />
        </Card>
        <Card title="Clouds">
          {cloudAssignments.length === 0 ? (
            <EmptyState>No Cloud is usable in this Project yet, or asked for.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="cloud-assignments">
              {cloudAssignments.map((a) => (
                <li key={a.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-state={a.state}>
                  <span className="min-w-0">
                    <span className="font-medium">{cloudLabels[a.cloudId]?.displayName ?? a.cloudId}</span>{" "}
                    {cloudLabels[a.cloudId] && <span className="font-mono text-xs text-slate-600">{cloudLabels[a.cloudId].slug}</span>}
                    {a.reason && (a.state === "rejected" || a.state === "revoked") && (
                      <span className="block text-xs text-slate-600">Reason: {a.reason}</span>
                    )}
                  </span>
                  <span className="text-xs font-medium text-slate-600">
                    {a.state === "approved" ? "usable" : a.state} · <Timestamp value={a.updatedAt} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          {mayDeploy && (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <RequestCloudForm projectId={project.id} />
            </div>
          )}
        </Card>
        <Card title="Members">
          <ul className="divide-y divide-slate-100 text-sm">
            {members.items.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center justify-between gap-x-3 py-2">
                <span className="min-w-0 break-all">{m.label}</span>
                <span className="flex items-center gap-2 text-slate-600">
                  {m.relation === "manage" ? "owner" : "deploy"}
                  {isOwner && (
                    <RemoveMemberButton
                      projectId={project.id}
                      userId={m.subjectId}
                      relation={m.relation}
                      email={m.label}
                      subjectType={m.subjectType}
                    />
                  )}
                </span>
              </li>
            ))}
          </ul>
          <Pager links={members.links} label="Members" />
          {isOwner && (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <AddMemberForm projectId={project.id} groups={groups} />
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
