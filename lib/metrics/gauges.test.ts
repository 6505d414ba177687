import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { closeTestDatabase, testDatabase } from "@/testing/database";
import { registerGauges } from "./gauges";
import { metrics } from "./registry";

before(testDatabase);
after(closeTestDatabase);

test("the scrape-time gauges read the database: pool, outbox, audit sealer, credentials", async () => {
  registerGauges();
  const text = await metrics().registry.metrics();
  for (const line of [
    /^plexsphere_database_pool_connections\{state="idle"\} \d+$/m,
    /^plexsphere_secret_deletions_owed \d+$/m,
    /^plexsphere_audit_entries_unsealed \d+$/m,
    /^plexsphere_audit_seal_lag_seconds [\d.e+-]+$/m,
    /^plexsphere_credentials\{status="active"\} \d+$/m,
    /^plexsphere_credentials_expiring\{within="30d"\} \d+$/m,
  ])
    assert.match(text, line);
});
