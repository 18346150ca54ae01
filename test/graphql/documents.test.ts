import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { buildClientSchema, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/constants/shopify";

const run = promisify(execFile);

function documentsIn(dir: string): { file: string; source: string }[] {
  const found: { file: string; source: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|tsx)$/.test(entry.name) || /\.test\./.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    if (file.includes("node_modules") || file.includes("/types/")) continue;
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/`#graphql([\s\S]*?)`/g)) found.push({ file, source: match[1]! });
  }
  return found;
}

let schema: GraphQLSchema;
beforeAll(() => {
  const json = JSON.parse(readFileSync(`.schema/admin-${ADMIN_API_VERSION}.json`, "utf8"));
  schema = buildClientSchema(json.data);
});

describe("Admin GraphQL documents", () => {
  it("every #graphql document in app/ is valid against Shopify's published schema", () => {
    const documents = documentsIn(resolve("app"));
    expect(documents.length).toBeGreaterThan(0);
    for (const { file, source } of documents) {
      const errors = validate(schema, parse(source)).map((error) => error.message);
      expect({ file, errors }).toEqual({ file, errors: [] });
    }
  });

  it("the codegen check fails the build on a misspelled field", async () => {
    // GIVEN a copy of the project's codegen configuration pointed at one misspelled document
    const dir = mkdtempSync(resolve("node_modules/.cache/codegen-check-"));
    try {
      writeFileSync(
        join(dir, "Misspelled.ts"),
        "export const Misspelled = `#graphql\n  query Misspelled { shop { nmae } }\n`;\n",
      );
      symlinkSync(
        resolve(`.schema/admin-${ADMIN_API_VERSION}.json`),
        join(dir, `admin-${ADMIN_API_VERSION}.schema.json`),
      );
      writeFileSync(
        join(dir, "codegen.ts"),
        `import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";
         export default { projects: { default: shopifyApiProject({
           apiType: ApiType.Admin, apiVersion: "${ADMIN_API_VERSION}",
           documents: ["${dir}/Misspelled.ts"], outputDir: "${dir}" }) } };`,
      );
      // WHEN codegen runs THEN it exits non-zero and names the field
      const outcome = await run("npx", ["graphql-codegen", "--config", join(dir, "codegen.ts")], {
        // graphql-codegen prints nothing at all under NODE_ENV=test.
        env: { ...process.env, NODE_OPTIONS: "", NODE_ENV: "development", VITEST: "" },
      }).then(
        () => ({ failed: false, output: "" }),
        (error: { stdout: string; stderr: string; message: string }) => ({
          failed: true,
          output: error.stdout + error.stderr + error.message,
        }),
      );
      expect(outcome.failed).toBe(true);
      expect(outcome.output).toContain('Cannot query field "nmae" on type "Shop"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
