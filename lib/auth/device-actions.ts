"use server";

import { redirect } from "next/navigation";
import { requireActionUser } from "@/lib/action-user";
import { isDomainError } from "@/lib/errors";
import { approveDevice, denyDevice, normalizeUserCode } from "./device";

/**
 * The approval page's buttons. Each answers by redirecting back to the page
 * with the outcome in the query, so the page works without client script.
 */
export async function decideDeviceAction(formData: FormData): Promise<void> {
  const user = await requireActionUser();
  const userCode = normalizeUserCode(String(formData.get("user_code") ?? ""));
  const decision = formData.get("decision") === "approve" ? "approve" : "deny";
  let outcome: string;
  if (!userCode) outcome = "device-code-not-found";
  else {
    try {
      await (decision === "approve" ? approveDevice : denyDevice)(user, userCode);
      outcome = decision === "approve" ? "approved" : "denied";
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcome = error.code;
    }
  }
  redirect(`/device?${new URLSearchParams({ user_code: userCode ?? "", outcome })}`);
}
