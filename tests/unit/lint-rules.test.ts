// The house rule "only lib/db talks to Prisma" is enforced by ESLint; this checks the rule really fires.
import fs from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });
const source = 'import { PrismaClient } from "@/lib/generated/prisma/client";\nexport const client = new PrismaClient();\n';

async function restrictedImportErrors(filePath: string, text = source) {
  const [result] = await eslint.lintText(text, { filePath });
  return result.messages.filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports");
}

describe("only lib/db imports the Prisma client", () => {
  it.each(["app/api/v1/x/route.ts", "lib/experiments/x.ts", "workers/x.ts", "cli/commands/x.ts", "components/x.tsx"])(
    "refused in %s",
    async (file) => {
      const errors = await restrictedImportErrors(file);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0].message).toContain("Only lib/db talks to Prisma");
    },
  );

  it("allowed in lib/db", async () => {
    expect(await restrictedImportErrors("lib/db/x.ts")).toHaveLength(0);
  });

  it("a relative path to the generated client is refused too", async () => {
    expect(
      await restrictedImportErrors(
        "lib/x.ts",
        'import { PrismaClient } from "./generated/prisma/client";\nexport const c = PrismaClient;\n',
      ),
    ).not.toHaveLength(0);
  });

  it("type-only imports are allowed anywhere", async () => {
    expect(
      await restrictedImportErrors(
        "lib/x.ts",
        'import type { Prisma } from "@/lib/generated/prisma/client";\nexport type J = Prisma.JsonValue;\n',
      ),
    ).toHaveLength(0);
  });

  it("the pg adapter is refused outside lib/db", async () => {
    expect(
      await restrictedImportErrors("lib/x.ts", 'import { PrismaPg } from "@prisma/adapter-pg";\nexport const a = PrismaPg;\n'),
    ).toHaveLength(1);
  });
});

async function boundaryErrors(filePath: string, text: string) {
  const [result] = await eslint.lintText(text, { filePath });
  return result.messages.filter((m) => m.ruleId === "import/no-restricted-paths");
}

// The import zones of eslint.config.mjs (DESIGN.md's layout): each case is an import the architecture forbids.
describe("architecture boundaries (import/no-restricted-paths)", () => {
  it.each([
    ["app/(app)/reviews/page.tsx", 'import { listDecisions } from "@/lib/db/decisions";\nexport const x = listDecisions;\n', "Two hops"],
    ["components/x/Thing.tsx", 'import { db } from "@/lib/db/client";\nexport const x = db;\n', "Two hops"],
    ["lib/experiments/x.ts", 'import { Card } from "@/components/ui/Card";\nexport const x = Card;\n', "never imports from them"],
    ["lib/stats/x.ts", 'import { env } from "@/lib/env";\nexport const x = env;\n', "Pure domain modules"],
    ["lib/stats/x.ts", 'import { db } from "../db/client";\nexport const x = db;\n', "Pure domain modules"],
    ["lib/db/x.ts", 'import { brentRoot } from "@/lib/stats/power";\nexport const x = brentRoot;\n', "Queries never do statistics"],
    ["workers/x.ts", 'import { TEST_API_KEY } from "../tests/setup/stack";\nexport const x = TEST_API_KEY;\n', "never imports test code"],
  ])("%s: refused (%s)", async (file, text, message) => {
    const errors = await boundaryErrors(file, text);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(message);
  });

  it("a page may call a service, and a service lib/db", async () => {
    expect(
      await boundaryErrors(
        "app/(app)/reviews/page.tsx",
        'import { reviewQueue } from "@/lib/reviews/service";\nexport const x = reviewQueue;\n',
      ),
    ).toHaveLength(0);
    expect(
      await boundaryErrors(
        "lib/reviews/service.ts",
        'import { listDecisions } from "@/lib/db/decisions";\nexport const x = listDecisions;\n',
      ),
    ).toHaveLength(0);
  });
});

describe("formatting", () => {
  it("npm run lint checks Prettier's formatting, and npm test runs npm run lint", () => {
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    expect(pkg.scripts.lint).toMatch(/^prettier --check .* && eslint --max-warnings 0 \.$/);
    expect(fs.readFileSync("tests/run.mjs", "utf8")).toContain('["lint", ["npm", "run", "--silent", "lint"]]');
  });
});
