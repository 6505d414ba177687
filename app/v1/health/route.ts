import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";
import { healthReport } from "@/lib/health";
import { RETRY_AFTER_SECONDS } from "@/lib/unavailable";

/** 200 with every dependency ok, 503 when one is down; probes need only the status code, operators read `checks`. */
export const GET = publicRoute({
  handle: async () => {
    const report = await healthReport();
    const down = report.status === "down";
    return json(report, down ? 503 : 200, down ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {});
  },
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
