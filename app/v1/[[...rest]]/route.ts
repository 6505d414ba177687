import { problem } from "@/lib/api/problem";

/** Anything under /v1 that no route serves: a 404 problem, for every method. */
async function notFound(request: Request) {
  return problem(request, 404, "not_found", "no such endpoint");
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
