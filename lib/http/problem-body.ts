import { STATUS_CODES } from "node:http";

/**
 * RFC 9457 problem details, the only shape an /v1 error leaves in. `code` is
 * the stable machine-readable taxonomy of the plexsphere v1 contract;
 * `correlation_id` (required by the newest contract) is the request's id
 * (lib/http/correlation.ts), also sent as X-Correlation-Id.
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  correlation_id: string;
  [extension: string]: unknown;
}

/** The body of every problem answer, built in one place (the edge, which has no Request, and proxy.ts use it too). */
export function problemBody(status: number, code: string, detail: string, instance: string, correlationId: string): ProblemBody {
  return {
    type: `https://plexsphere.com/errors/${code.replaceAll("_", "-")}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail,
    instance,
    code,
    correlation_id: correlationId,
    // Clients type every 403 as PermissionDenied (contract), so refusals that are
    // not relation checks (CSRF, cursor binding) carry its fields too.
    ...(status === 403 ? { reason: "out_of_scope", relation_path: [] } : {}),
  };
}
