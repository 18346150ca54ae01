import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectConsoleErrors, launchBrowser, newMerchantContext, screenshot } from "./support/browser";
import { startTestDemo, type TestDemo } from "./support/demo";

// Staff permissions as a merchant's staff sees them (decision 008): the local admin acts as the demo's
// view-only staff member (Sam Support: customers "view", not "create and edit"); the app's pages and the
// "Send account invites" extension say plainly that they cannot send, and nothing is sent. Acting as the
// owner, the same page lets them create.

let demo: TestDemo;
let browser: Browser;
let support: string;
let owner: string;

beforeAll(async () => {
  demo = await startTestDemo({ name: "staff", emulatorPort: 4360, appPort: 3360 });
  browser = await launchBrowser();
  const { staff } = (await (
    await fetch(`${demo.emulatorUrl}/__emulator/shops/${encodeURIComponent(demo.shop)}/staff`)
  ).json()) as { staff: { email: string; isShopOwner: boolean }[] };
  owner = staff.find((m) => m.isShopOwner)!.email;
  support = staff.find((m) => m.email.startsWith("support@"))!.email;
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function outboxSize() {
  const { emails } = (await (
    await fetch(`${demo.emulatorUrl}/__emulator/outbox?shop=${encodeURIComponent(demo.shop)}`)
  ).json()) as { emails: unknown[] };
  return emails.length;
}

const REFUSAL_TITLE = "You can't send invites or get activation links";

async function openApp(page: Page, path: string, staff: string) {
  await page.goto(`${demo.appAdminUrl}${path}?staff=${encodeURIComponent(staff)}`);
  return page.frameLocator("#app-iframe");
}

describe("a staff member without customer permissions, in the local admin", () => {
  it("sees the New campaign and Activation links pages with the refusal, and their buttons off", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);

    const app = await openApp(page, "/campaigns/new", support);
    await app.getByText(REFUSAL_TITLE).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => app.getByText(/permission to create and edit customers/).count())
      .toBeGreaterThan(0);
    expect(await page.locator("#acting-staff option:checked").textContent()).toBe("Sam Support");
    expect(await app.getByRole("button", { name: "Create campaign" }).isDisabled()).toBe(true);
    await screenshot(page, "staff-01-new-campaign-refused");

    const links = await openApp(page, "/links", support);
    await links.getByText(REFUSAL_TITLE).waitFor({ timeout: 30_000 });
    expect(await links.getByRole("button", { name: "Issue links" }).isDisabled()).toBe(true);
    await screenshot(page, "staff-02-activation-links-refused");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("can run the dry run in 'Send account invites', and is told plainly that sending is refused", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const before = await outboxSize();
    await page.goto(
      `${demo.adminUrl}?query=${encodeURIComponent("state:disabled")}&staff=${encodeURIComponent(support)}`,
    );
    const boxes = page.getByRole("checkbox", { name: /^Select (?!all)/ });
    await expect.poll(() => boxes.count()).toBeGreaterThan(3);
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Send account invites" }).click();
    const dialog = page.frameLocator('iframe[title="Send account invites"]');
    const summary = dialog.getByText(/\d+ will be invited, \d+ skipped/);
    await summary.waitFor({ timeout: 20_000 });
    const willInvite = Number(/(\d+) will be invited/.exec((await summary.textContent()) ?? "")?.[1]);
    await dialog.getByRole("button", { name: new RegExp(`^Send ${willInvite} invites?$`) }).click();

    await dialog.getByText("You don't have permission to do this").waitFor({ timeout: 20_000 });
    await expect
      .poll(() => dialog.getByText(/Ask the store owner to give it to you/).count())
      .toBeGreaterThan(0);
    await screenshot(page, "staff-03-extension-refused");
    expect(await outboxSize()).toBe(before);
    // The session tokens the extension used named Sam, whom the app refused: the console shows the 403
    // fetch only as a network log, never as an error of the page.
    expect(errors.filter((e) => !/403/.test(e))).toEqual([]);
    await context.close();
  });
});

describe("the owner, in the same local admin", () => {
  it("sees the New campaign page without a refusal and may create", async () => {
    const context = await newMerchantContext(browser);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const app = await openApp(page, "/campaigns/new", owner);
    await app.getByRole("button", { name: "Create campaign" }).waitFor({ timeout: 30_000 });
    expect(await page.locator("#acting-staff option:checked").textContent()).toMatch(/\(owner\)$/);
    await expect.poll(() => app.getByRole("button", { name: "Create campaign" }).isDisabled()).toBe(false);
    expect(await app.getByText(REFUSAL_TITLE).count()).toBe(0);
    await screenshot(page, "staff-04-owner-not-refused");
    expect(errors).toEqual([]);
    await context.close();
  });
});
