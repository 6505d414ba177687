"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { isDomainError } from "@/lib/errors";
import { approveDevice, denyDevice, normalizeUserCode } from "./device";

/**
 * The approval page's buttons, posted as a plain form. The answer is a redirect back to the page
 * with the outcome in the query, so the page works without client script.
 */
const decide = action(
  {
    name: "decideDevice",
    input: z.object({ user_code: z.string().default(""), decision: z.string().default("") }),
    redirect: (_, { userCode, outcome }: { userCode: string; outcome: string }) =>
      `/device?${new URLSearchParams({ user_code: userCode, outcome })}`,
  },
  async ({ user, input }) => {
    const userCode = normalizeUserCode(input.user_code);
    if (!userCode) return { userCode: "", outcome: "device_code_not_found" };
    const approve = input.decision === "approve";
    try {
      await (approve ? approveDevice : denyDevice)(user, userCode);
      return { userCode, outcome: approve ? "approved" : "denied" };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return { userCode, outcome: error.code };
    }
  },
);

/** A plain form's action answers nothing: the outcome is in the redirect, and an unexpected failure is logged by `action`. */
export async function decideDeviceAction(form: FormData): Promise<void> {
  await decide(form);
}
