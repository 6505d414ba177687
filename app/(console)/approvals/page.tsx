import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader, StatusBadge, Timestamp, buttonClass } from "@/components/ui";
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { approvalsInbox } from "@/lib/approvals/inbox";
import type { ApprovalCursor } from "@/lib/approvals/service";
import { requireUser } from "@/lib/auth/session";
import { DecisionButtons } from "./DecisionButtons";

export const metadata: Metadata = { title: "Approvals" };

const LIST = "approvals-inbox";

export default async function ApprovalsPage(props: { searchParams: Promise<{ after?: string }> }) {
  const user = await requireUser();
  const { after: cursor } = await props.searchParams;
  // The same signed, caller-bound keyset cursors as the /v1 lists; a stale or foreign one starts over at the first page.
  const after =
    typeof cursor === "string" && cursor ? await decodeCursor<ApprovalCursor>(user.id, LIST, cursor).catch(() => undefined) : undefined;
  const inbox = await approvalsInbox(user, { after });
  const next = inbox.next ? await encodeCursor(user.id, LIST, inbox.next) : undefined;
  return (
    <>
      <PageHeader
        title="Approvals"
        subtitle={
          "Requests for credentials in Projects you own or of Clouds you manage, and Projects asking to use your Clouds. " +
          "Your own requests wait for someone else."
        }
      />
      {inbox.items.length === 0 ? (
        after ? (
          <EmptyState>No more requests.</EmptyState>
        ) : (
          <EmptyState action={{ href: "/projects", label: "Go to Projects" }}>
            Nothing is waiting for you. Requests made in Projects you own, or for Clouds you manage, appear here.
          </EmptyState>
        )
      ) : (
        <ul className="space-y-3">
          {inbox.items.map((item) => (
            <li key={item.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-approval={item.id}>
              <div className="flex flex-wrap items-start justify-between gap-4">
                {item.credential ? (
                  <div className="space-y-1 text-sm">
                    <p>
                      <span className="font-medium">{item.requesterEmail}</span> asks to use{" "}
                      <span className="font-medium">{item.credential.displayName}</span> in{" "}
                      <span className="font-medium">{item.projectName}</span>
                    </p>
                    <p className="text-slate-600">
                      Cloud <span className="font-mono">{item.cloud.slug}</span> · version {item.credential.version} ·{" "}
                      <StatusBadge status={item.credential.status} /> · expires <Timestamp value={item.credential.expiresAt} /> · asked{" "}
                      <Timestamp value={item.createdAt} />
                    </p>
                  </div>
                ) : (
                  <div className="space-y-1 text-sm">
                    <p>
                      <span className="font-medium">{item.requesterEmail}</span> asks to use the Cloud{" "}
                      <span className="font-medium">{item.cloud.displayName}</span> in{" "}
                      <span className="font-medium">{item.projectName}</span>
                    </p>
                    <p className="text-slate-600">
                      Cloud <span className="font-mono">{item.cloud.slug}</span> · its credentials become available to the Project · asked{" "}
                      <Timestamp value={item.createdAt} />
                    </p>
                  </div>
                )}
                <DecisionButtons
                  approvalId={item.id}
                  label={`${item.requesterEmail} ${item.credential?.displayName ?? item.cloud.displayName}`}
                  requester={item.requesterEmail}
                  subject={item.credential ? item.credential.displayName : `the Cloud ${item.cloud.displayName}`}
                  project={item.projectName}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      <nav className="mt-4 flex justify-end gap-2" aria-label="Pages">
        {after && (
          <Link href="/approvals" className={buttonClass.secondary}>
            First page
          </Link>
        )}
        {next && (
          <Link href={`/approvals?after=${encodeURIComponent(next)}`} className={buttonClass.secondary}>
            Next page
          </Link>
        )}
      </nav>
    </>
  );
}
