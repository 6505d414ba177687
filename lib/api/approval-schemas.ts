import { z } from "zod";
import { REASON_MAX } from "@/lib/limits";
import { plainString } from "@/lib/validation";

/**
 * /v1 wire shapes of the approval queue and the Cloud assignment lifecycle
 * (plexsphere v1, Python SDK 50f9aff). Re-exported by ./schemas.ts so
 * /v1/openapi.json lists them; CloudAssignmentResponse stays in ./schemas.ts.
 */
const uuid = z.string().uuid();
const timestamp = z.string().datetime({ offset: true });

export const approvalSchema = z
  .object({
    id: uuid,
    kind: z.enum(["approval", "credential_assignment", "cloud_assignment"]),
    domain_id: uuid,
    proposer_subject: z.string().meta({ description: "Who asked: user:<id>." }),
    action_kind: z.string().meta({ description: "cloud_credential.assign or cloud.assign for our assignment rows." }),
    target_resource: z.string().meta({ description: "What is spent: cloud_credential:<id> or cloud:<id>." }),
    state: z.enum(["proposed", "pending-approval", "approved", "rejected", "expired", "revoked"]),
    created_at: timestamp,
    project_id: uuid.optional(),
    materialised: z.boolean().optional(),
    payload: z.record(z.string(), z.unknown()).optional(),
    expires_at: timestamp.optional(),
    caveat_context: z.record(z.string(), z.array(z.string())).optional(),
    decided_at: timestamp.optional(),
    decided_by_subject: z.string().optional(),
    decision_reason: z.string().optional(),
  })
  .meta({
    id: "Approval",
    description:
      "A row of the approval queue: a projection of a credential or Cloud assignment (its id is the " +
      "assignment's id). A waiting assignment shows as pending-approval.",
  });

export const approvalListSchema = z
  .object({ items: z.array(approvalSchema), next_cursor: z.string().optional() })
  .meta({ id: "ApprovalList" });

export const rejectApprovalRequestSchema = z
  .object({ reason: plainString(REASON_MAX).min(1) })
  .strict()
  .meta({ id: "RejectApprovalRequest", description: "Why: 1 to 1024 characters, not blank; the requester sees it." });

export const breakGlassRequestSchema = z.object({ reason: z.string() }).strict().meta({
  id: "BreakGlassRequest",
  description: "The emergency approver's justification, 16 to 1024 characters (400 invalid_break_glass_reason); kept in the audit trail.",
});

export const cloudAssignmentRequestBodySchema = z
  .object({ cloud_id: uuid })
  .strict()
  .meta({ id: "CloudAssignmentRequestBody", description: "The Cloud a Project asks to use." });

export const cloudAssignmentRevokeRequestSchema = z
  .object({ reason: plainString(REASON_MAX).min(1) })
  .strict()
  .meta({ id: "CloudAssignmentRevokeRequest", description: "Why: 1 to 1024 characters, not blank." });
