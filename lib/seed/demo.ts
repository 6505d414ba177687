import "server-only";
import { randomUUID } from "node:crypto";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { grant } from "@/lib/authz/service";
import { hashPassword } from "@/lib/auth/passwords";
import type { Db } from "@/lib/db/client";

/**
 * The demo cast from the tutorials, and the "payments" Project. Runs only in demo mode (lib/env.ts
 * refuses DEMO_SEED in production) and only adds what is missing, so a
 * restart never resets anyone's data.
 */
export const DEMO_PASSWORD = "password";

const CAST = [
  { email: "operator@example.com", displayName: "Platform Operator", platformAdmin: true },
  { email: "owner@example.com", displayName: "Project Owner", platformAdmin: false },
  { email: "viewer@example.com", displayName: "Viewer", platformAdmin: false },
] as const;

export async function seedDemo(client: Db): Promise<void> {
  const ids: Record<string, string> = {};
  for (const member of CAST) {
    const existing = await client.user.findUnique({ where: { email: member.email }, select: { id: true } });
    const id =
      existing?.id ??
      (
        await client.user.create({
          data: {
            id: randomUUID(),
            email: member.email,
            displayName: member.displayName,
            passwordHash: await hashPassword(DEMO_PASSWORD),
          },
        })
      ).id;
    if (member.platformAdmin) await grant(client, { type: "platform", id: PLATFORM_ID }, "manage", id);
    ids[member.email] = id;
  }
  // The demo Project: owned by the project owner, with the viewer deploying from it.
  const payments =
    (await client.project.findUnique({ where: { slug: "payments" }, select: { id: true } })) ??
    (await client.project.create({
      data: { id: randomUUID(), slug: "payments", name: "Payments", createdById: ids["operator@example.com"] },
    }));
  await grant(client, { type: "project", id: payments.id }, "manage", ids["owner@example.com"]);
  await grant(client, { type: "project", id: payments.id }, "deploy", ids["viewer@example.com"]);
}
