import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectConsoleErrors, launchBrowser, newMerchantContext, screenshot } from "./support/browser";
import { startTestDemo, type TestDemo } from "./support/demo";

// "Invite this segment" as a merchant meets it: the local admin's Segments page, a segment's details,
// More actions › Invite this segment (the real built bundle), the dry run, the campaign created by the
// app's API, and the app's worker inviting the segment's members.

let demo: TestDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startTestDemo({ name: "segments", emulatorPort: 4370, appPort: 3370 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

interface EmulatorCustomer {
  id: string;
  state: string;
  email: string | null;
  tags: string[];
}

describe("the local admin's segment page", () => {
  it("invites a segment's members through Invite this segment", async () => {
    const control = (path: string) => fetch(`${demo.emulatorUrl}/__emulator/${path}`).then((r) => r.json());
    const { customers } = (await control(`customers?shop=${demo.shop}&limit=10000`)) as {
      customers: EmulatorCustomer[];
    };
    const members = customers.filter((c) => c.tags.includes("wholesale"));
    expect(members.length).toBeGreaterThan(0);

    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    // GIVEN the demo shop's saved segment "Wholesale customers"
    await page.goto(demo.adminUrl.replace(/\/customers$/, "/segments"));
    await page.getByRole("link", { name: "Wholesale customers" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Wholesale customers");
    await screenshot(page, "segments-01-segment-page");

    // WHEN the merchant opens More actions › Invite this segment and reads the dry run
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Invite this segment" }).click();
    const dialog = page.frameLocator('iframe[title="Invite this segment"]');
    await dialog.getByText(`${members.length} customers in Wholesale customers`).waitFor({ timeout: 20_000 });
    const eligible = members.filter((c) => c.email && (c.state === "DISABLED" || c.state === "INVITED"));
    await dialog
      .getByText(`${eligible.length} will be invited, ${members.length - eligible.length} skipped`)
      .waitFor();
    await screenshot(page, "segments-02-dry-run");
    await dialog.getByRole("button", { name: `Invite ${eligible.length} customers` }).click();

    // THEN the app records the campaign, and its worker invites the segment's eligible members only
    await dialog.getByText("Campaign started").waitFor({ timeout: 20_000 });
    await screenshot(page, "segments-03-campaign-started");
    await expect
      .poll(
        async () => ((await control(`outbox?shop=${demo.shop}`)) as { emails: unknown[] }).emails.length,
        { timeout: 60_000 },
      )
      .toBe(eligible.length);
    const { emails } = (await control(`outbox?shop=${demo.shop}`)) as { emails: { customerId: string }[] };
    expect(emails.map((e) => e.customerId).sort()).toEqual(eligible.map((c) => c.id).sort());
    expect(errors).toEqual([]);
    await context.close();
  });
});
