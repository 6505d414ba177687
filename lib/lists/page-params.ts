import "server-only";
import { decodeCursor, encodeCursor } from "@/lib/api/cursor";
import { isDomainError } from "@/lib/errors";
import type { Page } from "./keyset";

/**
 * A console list's position in the URL: `?after=` or `?before=` holding the
 * same signed, caller-bound cursor the /v1 API hands out. A cursor that no
 * longer verifies (older than a day, another user's, edited) shows the
 * first page instead of an error: it came from a bookmark, not an attack
 * worth a 400.
 */
export type SearchParams = Record<string, string | string[] | undefined>;

export const textParam = (value: string | string[] | undefined): string | undefined => (typeof value === "string" ? value : undefined);

export async function pageFrom<P>(callerId: string, list: string, params: SearchParams): Promise<{ after?: P; before?: P }> {
  const after = textParam(params.after);
  const before = textParam(params.before);
  try {
    if (after) return { after: await decodeCursor<P>(callerId, list, after) };
    if (before) return { before: await decodeCursor<P>(callerId, list, before) };
  } catch (error) {
    if (!isDomainError(error)) throw error;
  }
  return {};
}

export interface PageLinks {
  next?: string;
  prev?: string;
}

/** Next and previous links for a page, keeping the list's other query parameters (filters, search). */
export async function pageLinks<P>(
  callerId: string,
  list: string,
  path: string,
  page: Page<unknown, P>,
  keep: Record<string, string | undefined>,
): Promise<PageLinks> {
  const href = async (key: "after" | "before", position: P) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(keep)) if (v) query.set(k, v);
    query.set(key, await encodeCursor(callerId, list, position));
    return `${path}?${query.toString()}`;
  };
  return {
    ...(page.next ? { next: await href("after", page.next) } : {}),
    ...(page.prev ? { prev: await href("before", page.prev) } : {}),
  };
}
