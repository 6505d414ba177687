"use server";

import { revalidatePath } from "next/cache";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { authorizeDecision, type Decision } from "./service";

/**
 * The console's door to approve, reject and revoke: the same permit the
 * /v1 routes take (`authorizeDecision`, manage on the assignment's Project),
 * then its one verb.
 */
export async function decideAssignmentAction(assignmentId: string, decision: Decision, reason?: string): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  // Arguments of a server action arrive from the network: check them like a body.
  if (!["approve", "reject", "revoke"].includes(decision)) return { ok: false, fieldErrors: {}, formError: "Unknown decision." };
  if (reason !== undefined && (typeof reason !== "string" || reason.length > 1024)) return { ok: false, fieldErrors: {}, formError: "A reason is at most 1024 characters." };
  try {
    await (await authorizeDecision(user, assignmentId)).decide(decision, reason);
  } catch (error) {
    return formFailure(error, "decideAssignment");
  }
  revalidatePath("/approvals");
  revalidatePath("/projects");
  return { ok: true };
}
