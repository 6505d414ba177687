import "server-only";
import type { Actor } from "@/lib/authz/service";
import { CREDENTIAL_COLUMNS, REVOCATION, toView, type CredentialRow, type CredentialView } from "@/lib/credentials/row";
import { db, queryRows } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { pendingForDecision, type ApprovalCursor, type ApprovalView } from "./service";

export interface PendingApproval extends ApprovalView {
  projectName: string;
  requesterEmail: string;
  cloud: { displayName: string; slug: string };
  /** The credential a credential request names; absent for a request to use a Cloud. */
  credential?: CredentialView;
}

/** The console's inbox, one page: both kinds of request awaiting the actor's decision, with who asked and what for. */
export async function approvalsInbox(
  actor: Actor,
  options: { after?: ApprovalCursor; now?: Date } = {},
): Promise<{ items: PendingApproval[]; next?: ApprovalCursor }> {
  const now = options.now ?? new Date();
  const page = await pendingForDecision(actor, { after: options.after, now });
  const pending = page.items;
  if (pending.length === 0) return { items: [] };
  const credentialIds = pending.flatMap((p) => (p.cloudCredentialId ? [p.cloudCredentialId] : []));
  const [projects, users, clouds, credentials] = await Promise.all([
    db().project.findMany({ where: { id: { in: pending.map((p) => p.projectId) } }, select: { id: true, name: true } }),
    db().user.findMany({ where: { id: { in: pending.map((p) => p.requestedById) } }, select: { id: true, email: true } }),
    db().cloud.findMany({ where: { id: { in: pending.map((p) => p.cloudId) } }, select: { id: true, displayName: true, slug: true } }),
    credentialIds.length === 0
      ? Promise.resolve([])
      : queryRows<CredentialRow>(Prisma.sql`
          SELECT ${CREDENTIAL_COLUMNS} FROM cloud_credentials c LEFT JOIN ${REVOCATION} ON TRUE WHERE c.id = ANY(${credentialIds}::uuid[])`),
  ]);
  const projectName = new Map(projects.map((p) => [p.id, p.name]));
  const email = new Map(users.map((u) => [u.id, u.email]));
  const cloud = new Map(clouds.map((c) => [c.id, { displayName: c.displayName, slug: c.slug }]));
  const credential = new Map(credentials.map((row) => [row.id, toView(row, now)]));
  return {
    items: pending.map((p) => ({
      ...p,
      projectName: projectName.get(p.projectId) ?? "",
      requesterEmail: email.get(p.requestedById) ?? "(deleted user)",
      cloud: cloud.get(p.cloudId) ?? { displayName: "", slug: "" },
      ...(p.cloudCredentialId ? { credential: credential.get(p.cloudCredentialId) } : {}),
    })),
    next: page.next,
  };
}
