"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { CSRF_COOKIE } from "@/lib/api/authenticate";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { SESSION_COOKIES } from "./session";
import { endOwnSession, signOutEverywhere } from "./sessions";

/** Settings → Sessions: ends one of the caller's other sessions (someone else's id is "not found"). */
export async function endSessionAction(sessionId: string): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  try {
    await endOwnSession(user, String(sessionId));
  } catch (error) {
    return formFailure(error, "endSession");
  }
  revalidatePath("/settings/sessions");
  return { ok: true };
}

/** Settings → Sessions: "Sign out everywhere", this browser included; it lands on the sign-in page. */
export async function signOutEverywhereAction(): Promise<FormFailure | never> {
  const user = await requireActionUser();
  try {
    await signOutEverywhere(user);
  } catch (error) {
    return formFailure(error, "signOutEverywhere");
  }
  const jar = await cookies();
  for (const name of [...SESSION_COOKIES, CSRF_COOKIE]) jar.delete(name);
  redirect("/login");
}
