// Prisma CLI configuration. The app itself never reads this file: at run time
// lib/db/client.ts builds the client from lib/env.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/plexsphere" },
});
