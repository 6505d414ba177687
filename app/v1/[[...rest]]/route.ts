import { problem } from "@/lib/api/problem";
import { publicRoute } from "@/lib/api/route";

/** Anything under /v1 that no route serves: a 404 problem, for every method. */
const notFound = publicRoute({ handle: async ({ request }) => problem(request, 404, "not_found", "no such endpoint") });

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
