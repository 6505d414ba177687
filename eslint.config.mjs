import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  {
    ignores: [
      "cli/dist/**",
      "dist/**",
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/db/generated/**",
      "e2e/.artifacts/**",
      "contract/.generated/**",
      "test-results/**",
      "next-env.d.ts",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // Configuration is parsed once in lib/env.ts; everything else asks it.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through env() from lib/env.ts." },
      ],
    },
  },
  {
    // Playwright fixtures name their callback `use`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: [
      "lib/env.ts",
      "instrumentation.ts",
      "prisma.config.ts",
      "scripts/**",
      "e2e/**",
      "contract/**",
      "testing/**",
      "playwright.config.ts",
      "**/*.test.ts",
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // plexctl runs on the user's machine and reads its own environment; it talks HTTP only, never importing server code.
    files: ["cli/**"],
    rules: {
      "no-restricted-properties": "off",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/*", "**/lib/*", "**/app/*", "**/components/*"],
              message: "plexctl shares no server code; use the generated /v1 client.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
