"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { idField, reasonField } from "@/lib/validation";
import { authorizeDecision } from "./service";

/**
 * The console's door to approve, reject and revoke: the same permit the
 * /v1 routes take (`authorizeDecision`, manage on the assignment's Project),
 * then its one verb.
 */
export const decideAssignmentAction = action(
  {
    name: "decideAssignment",
    target: z.object({ assignmentId: idField }),
    authorize: (user, { assignmentId }) => authorizeDecision(user, assignmentId),
    input: z.object({ decision: z.enum(["approve", "reject", "revoke"], { message: "Unknown decision." }), reason: reasonField.optional() }),
    revalidate: () => ["/approvals", "/projects"],
  },
  async ({ permit, input }) => {
    await permit.decide(input.decision, input.reason);
  },
);
