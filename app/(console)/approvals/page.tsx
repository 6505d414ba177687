import type { Metadata } from "next";
import { EmptyState, PageHeader, StatusBadge, Timestamp } from "@/components/ui";
import { approvalsInbox } from "@/lib/assignments/service";
import { requireUser } from "@/lib/auth/session";
import { DecisionButtons } from "./DecisionButtons";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const user = await requireUser();
  const inbox = await approvalsInbox(user);
  return (
    <>
      <PageHeader title="Approvals" subtitle="Requests for credentials in Projects you own. Your own requests wait for someone else." />
      {inbox.length === 0 ? (
        <EmptyState action={{ href: "/projects", label: "Go to Projects" }}>Nothing is waiting for you. Requests made in Projects you own appear here.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {inbox.map((item) => (
            <li key={item.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-approval={item.id}>
              <div className="flex flex-wrap items-start justify-between gap-4">
                <div className="space-y-1 text-sm">
                  <p>
                    <span className="font-medium">{item.requesterEmail}</span> asks to use <span className="font-medium">{item.credential.displayName}</span> in{" "}
                    <span className="font-medium">{item.projectName}</span>
                  </p>
                  <p className="text-slate-600">
                    Cloud <span className="font-mono">{item.credential.cloudSlug}</span> · version {item.credential.version} · <StatusBadge status={item.credential.status} /> ·
                    expires <Timestamp value={item.credential.expiresAt} /> · asked <Timestamp value={item.createdAt} />
                  </p>
                </div>
                <DecisionButtons assignmentId={item.id} label={`${item.requesterEmail} ${item.credential.displayName}`} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
