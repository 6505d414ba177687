import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { grant } from "@/lib/authz/service";
import { connectDatabase, disconnectDatabase, type Db } from "@/lib/db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

/**
 * The database a test file runs against, chosen by scripts/test-unit.mjs:
 * a real PostgreSQL database it created (DATABASE_URL), or an in-memory
 * PGlite started here (TEST_DATABASE=embedded). Either way the schema comes
 * from the same migrations the server applies.
 */
let ready: Promise<{ db: Db; url: string; embedded?: EmbeddedDatabase }> | undefined;

export function testDatabase(): Promise<Db> {
  ready ??= (async () => {
    let url = process.env.DATABASE_URL;
    let embedded: EmbeddedDatabase | undefined;
    if (!url) {
      if (process.env.TEST_DATABASE !== "embedded") {
        throw new Error("set DATABASE_URL or TEST_DATABASE=embedded (scripts/test-unit.mjs does)");
      }
      embedded = await startEmbeddedDatabase({ socketDir: mkdtempSync(path.join(tmpdir(), "pgl-")) });
      url = embedded.url;
    }
    await migrate(url);
    return { db: connectDatabase(url, { embedded: Boolean(embedded) }), url, embedded };
  })();
  return ready.then((r) => r.db);
}

export async function testDatabaseUrl(): Promise<string> {
  await testDatabase();
  return (await ready!).url;
}

export async function closeTestDatabase(): Promise<void> {
  if (!ready) return;
  const { embedded } = await ready;
  ready = undefined;
  await disconnectDatabase();
  await embedded?.stop();
}

/** A user with a unique email; no password (tests act as them directly). */
export async function createTestUser(options: { platformAdmin?: boolean; label?: string } = {}) {
  const db = await testDatabase();
  const id = randomUUID();
  const user = await db.user.create({
    data: {
      id,
      email: `${options.label ?? "user"}-${id}@test.example`,
      displayName: options.label ?? "Test user",
      passwordHash: "not-a-valid-hash",
    },
  });
  if (options.platformAdmin) await grant(db, { type: "platform", id: PLATFORM_ID }, "manage", id);
  return { id: user.id, email: user.email, displayName: user.displayName };
}

/** A unique kebab-case slug for a test Cloud. */
export function uniqueSlug(prefix = "cloud"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
