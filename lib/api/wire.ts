import "server-only";
import type { z } from "zod";
import type { AssignmentView } from "@/lib/assignments/service";
import { approvalState, type ApprovalView } from "@/lib/approvals/service";
import type { CloudAssignmentView } from "@/lib/projects/cloud-assignments";
import type { CloudView } from "@/lib/clouds/service";
import type { ProjectMember } from "@/lib/projects/members";
import type { ProjectTuple } from "@/lib/projects/service";
import { type CredentialView } from "@/lib/credentials/row";
import type { ChainVerdict } from "@/lib/audit/chain";
import type { ReminderSettingsView } from "@/lib/reminders/settings";
import type { reminderSettingsResponseSchema } from "@/lib/reminders/schema";
import type { TokenSummary } from "@/lib/tokens/service";
import { DEFAULT_DOMAIN, DEFAULT_DOMAIN_ID } from "@/lib/tenancy/domain";
import {
  type apiTokenSummarySchema,
  type auditChainVerifyResultSchema,
  type cloudCredentialResponseSchema,
  type cloudResponseSchema,
} from "./schemas";

/** Explicit projections: each lists the fields allowed out; nothing is spread from a row. */

export function cloudToWire(cloud: CloudView): z.infer<typeof cloudResponseSchema> {
  return {
    id: cloud.id,
    display_name: cloud.displayName,
    slug: cloud.slug,
    provider: cloud.provider,
    endpoint: cloud.endpoint,
    region_defaults: cloud.regionDefaults,
    external_id: cloud.externalId,
    strict_payload_shape: cloud.strictPayloadShape,
    created_at: cloud.createdAt.toISOString(),
    updated_at: cloud.updatedAt.toISOString(),
  };
}

export function credentialToWire(credential: CredentialView): z.infer<typeof cloudCredentialResponseSchema> {
  return {
    id: credential.id,
    cloud_id: credential.cloudId,
    display_name: credential.displayName,
    version: credential.version,
    status: credential.status,
    expires_at: credential.expiresAt.toISOString(),
    ...(credential.revokedAt ? { revoked_at: credential.revokedAt.toISOString() } : {}),
    ...(credential.expiredAt ? { expired_at: credential.expiredAt.toISOString() } : {}),
    ...(credential.secretRevocation ? { secret_revocation: credential.secretRevocation } : {}),
    ...(credential.secretMissingAt ? { secret_missing_at: credential.secretMissingAt.toISOString() } : {}),
    created_at: credential.createdAt.toISOString(),
    updated_at: credential.updatedAt.toISOString(),
  };
}

export function tokenToWire(token: TokenSummary): z.infer<typeof apiTokenSummarySchema> {
  return {
    id: token.id,
    name: token.name,
    created_by: token.createdBy?.id ?? null,
    env_prefix: token.envPrefix,
    ...(token.lastUsedAt ? { last_used_at: token.lastUsedAt.toISOString() } : {}),
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt.toISOString(),
    ...(token.rotatedAt ? { rotated_at: token.rotatedAt.toISOString() } : {}),
  };
}

export function projectToWire(project: { id: string; slug: string; name: string; createdAt: Date; updatedAt: Date }) {
  return {
    id: project.id,
    domain_id: DEFAULT_DOMAIN_ID,
    name: project.name,
    slug: project.slug,
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}

export function assignmentToWire(a: AssignmentView) {
  return {
    id: a.id,
    project_id: a.projectId,
    cloud_credential_id: a.cloudCredentialId,
    state: a.state,
    materialised: a.state === "approved",
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

export function domainToWire(domain: typeof DEFAULT_DOMAIN) {
  return {
    id: domain.id,
    name: domain.name,
    slug: domain.slug,
    description: domain.description,
    // Canonical CIDR or absent: the newest contract's clients refuse "" (it fails the pattern).
    ...(domain.meshCidr ? { mesh_cidr: domain.meshCidr } : {}),
    reachability: { ...domain.reachability },
    created_at: domain.createdAt.toISOString(),
    updated_at: domain.createdAt.toISOString(),
  };
}

/** The verifier's verdict, seqs as JSON numbers (the chain stays far below 2^53 entries). */
export function auditVerdictToWire(verdict: ChainVerdict): z.infer<typeof auditChainVerifyResultSchema> {
  return {
    ok: verdict.ok,
    divergent_seq: verdict.divergentSeq === null ? null : Number(verdict.divergentSeq),
    expected_hash: verdict.expectedHash,
    observed_hash: verdict.observedHash,
    segment_from: Number(verdict.segmentFrom),
    segment_to: Number(verdict.segmentTo),
    refused_entry_id: verdict.refusedEntryId,
  };
}

export function reminderSettingsToWire(settings: ReminderSettingsView): z.infer<typeof reminderSettingsResponseSchema> {
  return {
    enabled: settings.enabled,
    days_ahead: settings.daysAhead,
    email: settings.email,
    webhook_url: settings.webhookUrl,
    webhook_signed: settings.webhookSigned,
  };
}

/** A Project member as the contract's relation tuple. */
export function tupleToWire(t: ProjectTuple) {
  return { id: t.id, subject: t.subject, relation: t.relation, resource: t.resource, created_at: t.createdAt.toISOString() };
}

export function memberToWire(projectId: string, m: ProjectMember) {
  return tupleToWire({
    id: m.id,
    subject: `${m.subjectType}:${m.subjectId}`,
    relation: m.relation,
    resource: `project:${projectId}`,
    createdAt: m.createdAt,
  });
}

export function cloudAssignmentToWire(a: CloudAssignmentView) {
  return {
    id: a.id,
    project_id: a.projectId,
    cloud_id: a.cloudId,
    state: a.state,
    materialised: a.state === "approved",
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

/**
 * A queue row as plexsphere's Approval: the assignment's id, our one
 * Domain, who asked and what is spent as subjects, `requested` shown as
 * `pending-approval`. A break-glass justification is not on the row.
 */
export function approvalToWire(a: ApprovalView) {
  const credential = a.kind === "credential_assignment";
  return {
    id: a.id,
    kind: a.kind,
    domain_id: DEFAULT_DOMAIN_ID,
    proposer_subject: `user:${a.requestedById}`,
    action_kind: credential ? "cloud_credential.assign" : "cloud.assign",
    target_resource: credential ? `cloud_credential:${a.cloudCredentialId}` : `cloud:${a.cloudId}`,
    state: approvalState(a.state),
    created_at: a.createdAt.toISOString(),
    project_id: a.projectId,
    materialised: a.state === "approved",
    ...(a.decidedAt ? { decided_at: a.decidedAt.toISOString() } : {}),
    ...(a.decidedById ? { decided_by_subject: `user:${a.decidedById}` } : {}),
    ...(a.reason ? { decision_reason: a.reason } : {}),
  };
}
