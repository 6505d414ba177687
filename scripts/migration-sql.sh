#!/usr/bin/env bash
# Prints the SQL that takes the database from prisma/schema.prisma as it was
# at a git revision (default HEAD) to the working copy's schema, using Prisma
# 6.19's WASM schema engine (the native engine Prisma 7 needs cannot be
# downloaded on every machine). It connects to the local PostgreSQL but
# changes nothing there. Review the output, then save it as a new migration:
#   bash scripts/migration-sql.sh > prisma/migrations/<yyyymmddhhmmss>_<name>/migration.sql
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
base=${1:-HEAD}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prisma 6.19 is a tool for writing migrations, not a dependency of the app:
# it is installed on first use into a cache folder (its "prisma" command
# would otherwise clash with Prisma 7's).
prisma6="$root/node_modules/.cache/prisma6"
if [ ! -f "$prisma6/node_modules/prisma/build/index.js" ]; then
  mkdir -p "$prisma6"
  echo '{"private":true}' > "$prisma6/package.json"
  npm install --prefix "$prisma6" --no-audit --no-fund --silent prisma@6.19.3 >&2
fi

# Prisma 6 wants a url in the datasource block and the classic generator name.
to_prisma6() {
  sed -e 's/provider = "postgresql"/provider = "postgresql"\n  url      = env("DATABASE_URL")/' \
      -e '/moduleFormat/d' -e '/^  output /d' -e 's/"prisma-client"/"prisma-client-js"/'
}
git show "$base:prisma/schema.prisma" | to_prisma6 > "$work/from.prisma"
to_prisma6 < prisma/schema.prisma > "$work/to.prisma"
cat > "$work/prisma.config.ts" <<TS
import { PrismaPg } from "$root/node_modules/@prisma/adapter-pg/dist/index.mjs";
export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "to.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true }),
};
TS
cd "$work"
DATABASE_URL=${TEST_POSTGRES_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres} PRISMA_QUERY_ENGINE_LIBRARY=/bin/true PRISMA_SCHEMA_ENGINE_BINARY=/bin/true \
  node "$prisma6/node_modules/prisma/build/index.js" \
  migrate diff --from-schema-datamodel from.prisma --to-schema-datamodel to.prisma --script 2>/dev/null
