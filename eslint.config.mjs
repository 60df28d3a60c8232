import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const prismaOnlyInLibDb = {
  paths: [
    { name: "@prisma/client", message: "Only lib/db talks to Prisma: call a query function from lib/db instead." },
    { name: "@/lib/generated/prisma/client", message: "Only lib/db talks to Prisma: call a query function from lib/db instead.", allowTypeImports: true },
    { name: "@prisma/adapter-pg", message: "Only lib/db creates the Prisma client." },
  ],
  patterns: [{ group: ["**/generated/prisma/client", "**/generated/prisma/internal/*"], message: "Only lib/db talks to Prisma.", allowTypeImports: true }],
};

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ["node_modules/**", ".next/**", ".assay/**", "lib/generated/**", "next-env.d.ts", "tests/.artifacts/**", "bench/out/**"] },
  {
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", prismaOnlyInLibDb],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["tests/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  { files: ["lib/db/**", "prisma.config.ts"], rules: { "@typescript-eslint/no-restricted-imports": "off" } },
];

export default config;
