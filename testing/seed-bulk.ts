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
