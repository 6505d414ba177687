import "server-only";
import { notFound } from "next/navigation";
import { isDomainError } from "@/lib/errors";
import { asUnavailable } from "@/lib/unavailable";

/**
 * For pages: a resource the user may not see looks exactly like one that
 * does not exist (404), so the console never confirms what is there.
 */
export async function loadOr404<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (error) {
    if (isDomainError(error) && (error.status === 403 || error.status === 404)) notFound();
    throw asUnavailable(error);
  }
}
