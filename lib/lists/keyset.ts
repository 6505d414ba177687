import "server-only";
import { Prisma } from "@/lib/db/generated/client.ts";

/**
 * Keyset pages over (sort key, id), both directions. Every list a console
 * page or the /v1 API shows is read this way: `limit + 1` rows in index
 * order from a position, never an OFFSET and never the whole set, so a
 * page costs the same at 100 rows as at 100,000.
 */
export const PAGE_SIZE = 50;

export type Direction = "asc" | "desc";

/** Where a page starts: after a position (next page) or before one (previous page), in the list's order. */
export type PageFrom<P> = { after: P } | { before: P } | Record<string, never>;

export interface Page<T, P> {
  items: T[];
  /** Position of the last item when more follow it. */
  next?: P;
  /** Position of the first item when more precede it. */
  prev?: P;
}

/**
 * The comparison and ORDER BY for one page: reading a previous page walks
 * the index the other way from the cursor, and `finish` turns it back.
 */
export function keysetClause(columns: Prisma.Sql, order: Direction, from: { after?: Prisma.Sql; before?: Prisma.Sql }) {
  const backwards = from.before !== undefined;
  const walk: Direction = backwards ? (order === "asc" ? "desc" : "asc") : order;
  const cursor = from.before ?? from.after;
  const where = cursor ? (walk === "asc" ? Prisma.sql`AND ${columns} > ${cursor}` : Prisma.sql`AND ${columns} < ${cursor}`) : Prisma.empty;
  return { where, walk, backwards };
}

/** Cuts `limit + 1` rows to a page and works out its next and previous positions. */
export function finishPage<R, T, P>(
  rows: R[],
  limit: number,
  backwards: boolean,
  hadCursor: boolean,
  map: (row: R) => T,
  position: (item: T) => P,
): Page<T, P> {
  const more = rows.length > limit;
  const slice = rows.slice(0, limit);
  if (backwards) slice.reverse();
  const items = slice.map(map);
  const first = items[0];
  const last = items[items.length - 1];
  const hasNext = backwards ? hadCursor : more;
  const hasPrev = backwards ? more : hadCursor;
  return {
    items,
    ...(hasNext && last ? { next: position(last) } : {}),
    ...(hasPrev && first ? { prev: position(first) } : {}),
  };
}

/** A free-text search as an ILIKE pattern: its own % and _ match themselves; control characters dropped; bounded. */
export function containsPattern(search: string | undefined): string | undefined {
  const clean = search
    ?.replace(/[\u0000-\u001F\u007F]/g, "")
    .trim()
    .slice(0, 100);
  return clean ? `%${clean.replace(/[\\%_]/g, "\\$&")}%` : undefined;
}
