"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { idField, reasonField } from "@/lib/validation";
import { authorizeApprovalDecision } from "./service";

/** The Approvals page: approve or reject a request of either kind, through the permit /v1/approvals takes too. */
export const decideApprovalAction = action(
  {
    name: "decideApproval",
    target: z.object({ approvalId: idField }),
    authorize: (user, { approvalId }) => authorizeApprovalDecision(user, approvalId),
    input: z.object({
      decision: z.enum(["approve", "reject"], { message: "Unknown decision." }),
      reason: reasonField.optional(),
    }),
    revalidate: () => ["/approvals", "/projects"],
  },
  async ({ permit, input }) => {
    if (input.decision === "approve") await permit.approve();
    else await permit.reject(input.reason ?? "");
  },
);
