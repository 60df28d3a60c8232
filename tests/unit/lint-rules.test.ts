// The house rule "only lib/db talks to Prisma" is enforced by ESLint; this checks the rule really fires.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });
const source = 'import { PrismaClient } from "@/lib/generated/prisma/client";\nexport const client = new PrismaClient();\n';

async function restrictedImportErrors(filePath: string, text = source) {
  const [result] = await eslint.lintText(text, { filePath });
  return result.messages.filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports");
}

describe("only lib/db imports the Prisma client", () => {
  it.each(["app/api/v1/x/route.ts", "lib/experiments/x.ts", "workers/x.ts", "cli/commands/x.ts", "components/x.tsx"])("refused in %s", async (file) => {
    const errors = await restrictedImportErrors(file);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].message).toContain("Only lib/db talks to Prisma");
  });

  it("allowed in lib/db", async () => {
    expect(await restrictedImportErrors("lib/db/x.ts")).toHaveLength(0);
  });

  it("a relative path to the generated client is refused too", async () => {
    expect(await restrictedImportErrors("lib/x.ts", 'import { PrismaClient } from "./generated/prisma/client";\nexport const c = PrismaClient;\n')).not.toHaveLength(0);
  });

  it("type-only imports are allowed anywhere", async () => {
    expect(await restrictedImportErrors("lib/x.ts", 'import type { Prisma } from "@/lib/generated/prisma/client";\nexport type J = Prisma.JsonValue;\n')).toHaveLength(0);
  });

  it("the pg adapter is refused outside lib/db", async () => {
    expect(await restrictedImportErrors("lib/x.ts", 'import { PrismaPg } from "@prisma/adapter-pg";\nexport const a = PrismaPg;\n')).toHaveLength(1);
  });
});
