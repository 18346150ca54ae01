import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layer rule in eslint.config.js, exercised: a deliberate back-import in each layer fails lint, and
// the same file importing downwards passes.
const eslint = new ESLint({ cwd: process.cwd() });

async function lintAs(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the layer rule", () => {
  it("refuses a model importing a service", async () => {
    const errors = await lintAs(
      "app/models/Backwards.server.ts",
      'import { createCampaign } from "~/services/campaigns/campaigns.server";\nexport const x = createCampaign;\n',
    );
    expect(errors.join()).toMatch(/never import services/);
  });

  it("refuses a utility importing a route or a service", async () => {
    expect(
      await lintAs("app/utils/backwards.ts", 'import "~/routes/app.settings/settings.server";\n'),
    ).toHaveLength(1);
    expect(await lintAs("app/utils/backwards.ts", 'import "~/services/sending/pacing";\n')).toHaveLength(1);
  });

  it("refuses a service importing a route or the JSON API", async () => {
    expect(await lintAs("app/services/x/y.server.ts", 'import "~/api/jsonApi.server";\n')).toHaveLength(1);
    expect(
      await lintAs("app/services/x/y.server.ts", 'import "~/routes/app._index/overview.server";\n'),
    ).toHaveLength(1);
  });

  it("refuses a component or hook importing a .server module", async () => {
    expect(await lintAs("app/components/Bad.tsx", 'import "~/db.server";\n')).not.toHaveLength(0);
    expect(await lintAs("app/hooks/useBad.ts", 'import "~/models/Campaign.server";\n')).not.toHaveLength(0);
    expect(
      await lintAs("extensions/send-account-invites/src/Bad.tsx", 'import "../../../app/shopify.server";\n'),
    ).not.toHaveLength(0);
  });

  it("refuses the emulator importing the app", async () => {
    expect(await lintAs("emulator/src/bad.ts", 'import "../../app/services/sending/pacing";\n')).toHaveLength(
      1,
    );
  });

  it("lets every layer import downwards", async () => {
    expect(await lintAs("app/services/x/y.server.ts", 'import "~/models/Campaign.server";\n')).toEqual([]);
    expect(await lintAs("app/models/X.server.ts", 'import "~/constants/invites";\n')).toEqual([]);
    expect(await lintAs("app/components/X.tsx", 'import "~/i18n/message";\n')).toEqual([]);
  });
});
