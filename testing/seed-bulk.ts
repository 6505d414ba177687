import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";

/**
 * Bulk rows live two years ahead, so a test that lists what expires "in the
 * next 30 days" or sweeps "now" in another file never meets them.
 */
export const FAR_FUTURE = new Date(Date.now() + 2 * 365 * 86_400_000);

/**
 * Seeds `count` credentials under one Cloud in one SQL statement
 * (generate_series), so list tests can stand on thousands of rows in a
 * second. Every 10th is revoked, every 7th expired; creation times step
 * back one second each, expiries spread over the next 60 days.
 */
export async function seedCredentials(db: Db, cloudId: string, issuedById: string, count: number, now = new Date()): Promise<void> {
  await db.$executeRaw`
    INSERT INTO cloud_credentials (id, cloud_id, display_name, version, expires_at, expired_at, revoked_at, issued_by_id, created_at, updated_at)
    SELECT gen_random_uuid(), ${cloudId}::uuid, 'bulk-' || lpad(n::text, 6, '0'), 1,
           ${now}::timestamptz + ((n % 60) + 1) * interval '1 day',
           CASE WHEN n % 7 = 0 THEN ${now}::timestamptz ELSE NULL END,
           CASE WHEN n % 10 = 0 THEN ${now}::timestamptz ELSE NULL END,
           ${issuedById}::uuid,
           ${now}::timestamptz - n * interval '1 second', ${now}::timestamptz
    FROM generate_series(1, ${count}::int) AS n`;
  await db.$executeRawUnsafe("ANALYZE cloud_credentials");
}

/**
 * Seeds `count` users who are members of one Project, in two SQL
 * statements: emails `<tag>-000001@bulk.example` …, granted one second
 * apart (member 1 first), every 10th an owner (`manage`), the rest `deploy`.
 */
export async function seedProjectMembers(db: Db, projectId: string, tag: string, count: number, now = new Date()): Promise<void> {
  await db.$executeRaw`
    INSERT INTO users (id, email, display_name, created_at, updated_at)
    SELECT gen_random_uuid(), ${tag} || '-' || lpad(n::text, 6, '0') || '@bulk.example', 'Bulk member', ${now}::timestamptz, ${now}::timestamptz
    FROM generate_series(1, ${count}::int) AS n`;
  await db.$executeRaw`
    INSERT INTO relation_tuples (id, object_type, object_id, relation, subject_type, subject_id, created_at)
    SELECT gen_random_uuid(), 'project', ${projectId}, CASE WHEN n % 10 = 0 THEN 'manage' ELSE 'deploy' END, 'user', u.id::text,
           ${now}::timestamptz - (${count}::int - n) * interval '1 second'
    FROM users u, LATERAL (SELECT substring(u.email FROM '-([0-9]{6})@bulk[.]example$')::int AS n) s
    WHERE u.email LIKE ${`${tag}-%@bulk.example`}`;
  await db.$executeRawUnsafe("ANALYZE users");
  await db.$executeRawUnsafe("ANALYZE relation_tuples");
}

/**
 * Seeds `count` Clouds and `count` Projects (slugs `<tag>-00001` …, created
 * by `createdById`) and one group, with `memberId` in it, that observes
 * every one of them (`observer` on the Clouds, `deploy` on the Projects, or
 * `manage` if asked): an organisation's engineers, who see through a group,
 * not platform-wide.
 */
export async function seedGroupObservingAll(
  db: Db,
  options: { tag: string; count: number; createdById: string; memberId: string; projectRelation?: "deploy" | "manage" },
): Promise<void> {
  const { tag, count, createdById, memberId, projectRelation = "deploy" } = options;
  const group = randomUUID();
  await db.$executeRaw`INSERT INTO groups (id, slug, display_name, source) VALUES (${group}::uuid, ${tag}, 'Everyone', 'manual')`;
  await db.$executeRaw`INSERT INTO group_members (group_id, user_id, source) VALUES (${group}::uuid, ${memberId}::uuid, 'manual')`;
  await db.$executeRaw`
    INSERT INTO clouds (id, slug, display_name, provider, external_id, endpoint, region_defaults, created_by_id, created_at, updated_at)
    SELECT gen_random_uuid(), ${tag} || '-' || lpad(n::text, 5, '0'), 'Cloud ' || n, 'aws', ${tag} || '-' || n, '{}', '{}', ${createdById}::uuid, now(), now()
    FROM generate_series(1, ${count}::int) n`;
  await db.$executeRaw`
    INSERT INTO projects (id, slug, name, created_by_id, created_at, updated_at)
    SELECT gen_random_uuid(), ${tag} || '-' || lpad(n::text, 5, '0'), 'Project ' || n, ${createdById}::uuid, now(), now()
    FROM generate_series(1, ${count}::int) n`;
  await db.$executeRaw`
    INSERT INTO relation_tuples (id, object_type, object_id, relation, subject_type, subject_id, created_at)
    SELECT gen_random_uuid(), 'cloud', id::text, 'observer', 'group', ${group}, now() FROM clouds WHERE slug LIKE ${`${tag}-%`}
    UNION ALL
    SELECT gen_random_uuid(), 'project', id::text, ${projectRelation}, 'group', ${group}, now() FROM projects WHERE slug LIKE ${`${tag}-%`}`;
  await db.$executeRawUnsafe("ANALYZE");
}

/**
 * Seeds `count` live API tokens for one user in one statement, created one
 * second apart going back from `now` (minting through the service is rate
 * limited per account, which a list test of many tokens is not about).
 */
export async function seedTokens(db: Db, userId: string, count: number, now = new Date()): Promise<void> {
  await db.$executeRaw`
    INSERT INTO api_tokens (id, user_id, name, created_by_id, env_prefix, digest, created_at, expires_at)
    SELECT gen_random_uuid(), ${userId}::uuid, 'Bulk token', ${userId}::uuid, 'dev', encode(sha256(gen_random_uuid()::text::bytea), 'hex'),
           ${now}::timestamptz - n * interval '1 second', ${FAR_FUTURE}::timestamptz
    FROM generate_series(1, ${count}::int) AS n`;
}
