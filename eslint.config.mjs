import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

const prismaOnlyInLibDb = {
  paths: [
    { name: "@prisma/client", message: "Only lib/db talks to Prisma: call a query function from lib/db instead." },
    {
      name: "@/lib/generated/prisma/client",
      message: "Only lib/db talks to Prisma: call a query function from lib/db instead.",
      allowTypeImports: true,
    },
    { name: "@prisma/adapter-pg", message: "Only lib/db creates the Prisma client." },
  ],
  patterns: [
    {
      group: ["**/generated/prisma/client", "**/generated/prisma/internal/*"],
      message: "Only lib/db talks to Prisma.",
      allowTypeImports: true,
    },
  ],
};

// The architecture of ../shared/DESIGN.md ("Layout", "House style"), as import boundaries.
const PURE = ["./lib/stats", "./lib/assignment", "./lib/decision", "./lib/harness/metrics"];
const architectureZones = [
  {
    target: ["./app", "./components"],
    from: "./lib/db",
    message: "Two hops from a route to its data: call a service in lib/<feature>/, which calls lib/db.",
  },
  {
    target: "./lib",
    from: ["./app", "./components", "./workers", "./cli", "./tests"],
    message: "lib/ is shared by the web app, workers and CLI: it never imports from them.",
  },
  {
    target: ["./app", "./components", "./workers", "./cli"],
    from: "./tests",
    message: "Product code never imports test code.",
  },
  ...PURE.map((target) => ({
    target,
    from: ["./lib/db", "./lib/env.ts", "./lib/runtime", "./lib/jobs", "./lib/auth", "./lib/http"],
    message: "Pure domain modules take plain data and return plain data: no database, environment or I/O.",
  })),
  {
    target: "./lib/db",
    from: PURE,
    message: "Queries never do statistics beyond SQL aggregates: the service calls lib/stats with what lib/db returned.",
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["node_modules/**", ".next/**", ".assay/**", "lib/generated/**", "next-env.d.ts", "tests/.artifacts/**", "bench/out/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", prismaOnlyInLibDb],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { zones: architectureZones }],
    },
  },
  { files: ["tests/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  { files: ["lib/db/**", "prisma.config.ts"], rules: { "@typescript-eslint/no-restricted-imports": "off" } },
  prettier,
];

export default config;
