import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { authOptions } from "./options";

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
}

/** The signed-in user, re-read from the database; undefined when signed out or the account is gone. */
export async function currentUser(): Promise<SessionUser | undefined> {
  const session = await getServerSession(await authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return undefined;
  const user = await db().user.findUnique({ where: { id }, select: { id: true, email: true, displayName: true } });
  return user ?? undefined;
}

/**
 * The one authenticated entry for pages and server actions: every one starts
 * here, then authorizes the specific resource. Signed-out callers are sent
 * to /login.
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}
