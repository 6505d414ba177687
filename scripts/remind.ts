/**
 * `npm run remind`: one pass of the daily expiry digests (lib/reminders)
 * with the server's own configuration, whatever the hour (REMINDER_HOUR is
 * for the server's timer). A digest already sent today to a recipient is
 * not sent again, so this is safe beside a running server.
 *
 * Prints one JSON line of counts (never an address or a secret) and exits
 * 0; 1 on any failure, 3 when some sends failed (they are audited).
 */
import { withConsoleDatabase } from "@/lib/db/console-database";
import { ConfigError } from "@/lib/env";
import { runReminderPass } from "@/lib/reminders/service";

async function main(): Promise<number> {
  const report = await withConsoleDatabase(() => runReminderPass({ anyHour: true }));
  process.stdout.write(
    JSON.stringify({ clouds: report.clouds, sent: report.sent, failed: report.failed, already_sent: report.alreadySent }) + "\n",
  );
  return report.failed > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A configuration error names variables and rules only; any other message could carry a connection string.
    const detail = error instanceof ConfigError ? error.message : error instanceof Error ? error.name : "unknown error";
    process.stderr.write(`remind failed: ${detail}\n`);
    process.exit(1);
  },
);
