"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { idField, reasonField } from "@/lib/validation";
import { authorizeDecision, requestAssignment } from "./service";

const project = z.object({ projectId: idField });

/** A Project's member asks to use a credential; someone who owns the Project decides. */
export const requestAssignmentAction = action(
  {
    name: "requestAssignment",
    target: project,
    input: z.object({ cloudCredentialId: idField }),
    revalidate: ({ projectId }) => [`/projects/${projectId}`, "/approvals"],
  },
  async ({ user, target, input }) => {
    await requestAssignment(user, target.projectId, { cloudCredentialId: input.cloudCredentialId });
  },
);

/** Approvals and the Project page: approve, reject (with a reason the requester sees) or revoke. */
export const decideAssignmentAction = action(
  {
    name: "decideAssignment",
    target: z.object({ assignmentId: idField }),
    // The permit the /v1 routes take too: manage on the assignment's Project.
    authorize: (user, { assignmentId }) => authorizeDecision(user, assignmentId),
    input: z.object({
      decision: z.enum(["approve", "reject", "revoke"], { message: "Unknown decision." }),
      reason: reasonField.optional(),
    }),
    revalidate: () => ["/approvals", "/projects"],
  },
  async ({ permit, input }) => {
    await permit.decide(input.decision, input.reason);
  },
);
