"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { CSRF_COOKIE } from "@/lib/api/authenticate";
import { action } from "@/lib/actions";
import { idField } from "@/lib/validation";
import { SESSION_COOKIES } from "./session";
import { endOwnSession, signOutEverywhere } from "./sessions";

/** Settings → Sessions: ends one of the caller's other sessions (someone else's id is "not found"). */
export const endSessionAction = action(
  { name: "endSession", target: z.object({ sessionId: idField }), revalidate: () => ["/settings/sessions"] },
  async ({ user, target }) => {
    await endOwnSession(user, target.sessionId);
  },
);

/** Settings → Sessions: "Sign out everywhere", this browser included; it lands on the sign-in page. */
export const signOutEverywhereAction = action({ name: "signOutEverywhere", redirect: () => "/login" }, async ({ user }) => {
  await signOutEverywhere(user);
  const jar = await cookies();
  for (const name of [...SESSION_COOKIES, CSRF_COOKIE]) jar.delete(name);
});
