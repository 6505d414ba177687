import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// Written by scripts/test-e2e.mjs, which starts the servers; run `npm run test:e2e`.
const targetsFile = path.join(__dirname, "e2e", ".artifacts", "targets.json");
const targets: Record<string, { baseURL: string }> = existsSync(targetsFile) ? JSON.parse(readFileSync(targetsFile, "utf8")) : {};

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/.artifacts/test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: Object.entries(targets).map(([name, target]) => ({ name, use: { baseURL: target.baseURL } })),
});
