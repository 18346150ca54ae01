/// <reference types="@shopify/ui-extensions/admin.customer-details.block.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { beforeEach, describe, expect, it } from "vitest";
import {
  banner,
  button,
  click,
  customerHistory,
  deferred,
  eventually,
  extensionUnderTest,
  json,
  screenText,
  textOf,
  useLocale,
} from "../../shared/tests/support";
import locale from "../locales/en.default.json";
import frLocale from "../locales/fr.json";
import { MAX_EVENTS } from "../src/InviteHistoryBlock";
import { INVITE_HISTORY_TARGET } from "../src/targets";

const CUSTOMER = "gid://shopify/Customer/42";
const HISTORY = "/api/customers/42/history";
const { extension, useBackend } = extensionUnderTest(getExtension(INVITE_HISTORY_TARGET), locale, {
  selected: [CUSTOMER],
});

const history = (state: string | null, events: object[] = []) => customerHistory(CUSTOMER, state, events);

const lines = () => Array.from(document.querySelectorAll("s-admin-block > s-stack > s-stack")).map(textOf);

describe("Invite history block (customer page)", () => {
  it("says it is loading while the app answers", async () => {
    const answer = deferred<Response>();
    useBackend({ [`GET ${HISTORY}`]: answer.promise });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("Loading invite history…"));
    answer.resolve(history("DISABLED"));
    await eventually(() => expect(screenText()).toContain("No account invites or activation links yet."));
  });

  it("lists invites, links and account changes newest first, one line each", async () => {
    const backend = useBackend({
      [`GET ${HISTORY}`]: history("ENABLED", [
        { type: "state", at: "2026-11-22T12:00:00Z", state: "ENABLED", previousState: "INVITED" },
        { type: "activation_link", at: "2026-11-21T10:00:00Z", expiresAt: "2026-12-21T10:00:00Z" },
        {
          type: "activation_link",
          at: "2026-11-01T10:00:00Z",
          expiresAt: "2026-12-01T10:00:00Z",
          replacedAt: "2026-11-21T10:00:00Z",
        },
        { type: "invite", at: "2026-11-20T09:30:00Z", status: "sent", campaignId: "camp_1" },
        {
          type: "invite",
          at: "2026-11-19T09:30:00Z",
          status: "skipped",
          reason: "INVITED_RECENTLY",
          message: "Invited in the last 24 hours.",
        },
        {
          type: "invite",
          at: "2026-11-18T09:30:00Z",
          status: "failed",
          reason: "SHOPIFY_ERROR",
          message: "Email is invalid",
        },
      ]),
    });

    await extension.render();

    await eventually(() => expect(lines()).toHaveLength(7));
    expect(lines()).toEqual([
      "Customer account Account active",
      "Account: Account active 2026-11-22 12:00",
      "Activation link issued expires 2026-12-21 10:00 2026-11-21 10:00",
      "Activation link issued replaced 2026-11-21 10:00 2026-11-01 10:00",
      "Invite sent 2026-11-20 09:30",
      "Invite skipped Invited recently 2026-11-19 09:30",
      "Invite failed Shopify refused the invite 2026-11-18 09:30",
    ]);
    expect(document.querySelector("s-admin-block")?.getAttribute("collapsedSummary")).toBe("6 events");
    expect(backend.calls).toEqual([{ method: "GET", path: HISTORY, body: null }]);
  });

  it("stays compact: older events are counted, not listed", async () => {
    const events = Array.from({ length: MAX_EVENTS + 3 }, (_, index) => ({
      type: "invite",
      at: new Date(Date.UTC(2026, 10, 20 - index)).toISOString(),
      status: "sent",
    }));
    useBackend({ [`GET ${HISTORY}`]: history("INVITED", events) });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("and 3 older events in Account Invites"));
    expect(document.querySelectorAll("s-badge")).toHaveLength(MAX_EVENTS + 1);
  });

  it("leaves out event types it does not know yet", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED", [
        { type: "sms_reminder", at: "2026-11-22T12:00:00Z" },
        { type: "invite", at: "2026-11-20T09:30:00Z", status: "sent" },
      ]),
    });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("Invite sent 2026-11-20 09:30"));
    expect(screenText()).not.toContain("sms_reminder");
  });

  it("asks the merchant to reload when the session has expired", async () => {
    useBackend({ [`GET ${HISTORY}`]: new Response(null, { status: 401 }) });

    await extension.render();

    await eventually(() => expect(banner("Your session has expired")).toBeTruthy());
  });

  it("says the app can't be reached, and loads again on Try again", async () => {
    useBackend({ [`GET ${HISTORY}`]: ["network-error", history("INVITED")] });

    await extension.render();

    await eventually(() => expect(banner("Account Invites can't be reached")).toBeTruthy());
    click(button("Try again"));
    await eventually(() => expect(screenText()).toContain("Invited"));
  });

  it("shows the server's reason when the history cannot be loaded", async () => {
    useBackend({ [`GET ${HISTORY}`]: json(503, { error: "Account Invites is starting up." }) });

    await extension.render();

    await eventually(() =>
      expect(banner("Account Invites ran into a problem").textContent).toContain(
        "Account Invites is starting up.",
      ),
    );
  });

  it("explains an answer it cannot read as a server error", async () => {
    useBackend({ [`GET ${HISTORY}`]: new Response("<html>Bad gateway</html>", { status: 200 }) });

    await extension.render();

    await eventually(() =>
      expect(banner("Account Invites ran into a problem").textContent).toContain(
        "The app answered with an error (HTTP 200)",
      ),
    );
  });
});

describe("Invite history block in French (locales/fr.json)", () => {
  beforeEach(() => {
    useLocale(extension.shopify.i18n, frLocale, "fr");
  });

  it("lists the history in French", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("ENABLED", [
        { type: "state", at: "2026-11-22T12:00:00Z", state: "ENABLED", previousState: "INVITED" },
        { type: "activation_link", at: "2026-11-21T10:00:00Z", expiresAt: "2026-12-21T10:00:00Z" },
        { type: "invite", at: "2026-11-20T09:30:00Z", status: "sent", campaignId: "camp_1" },
      ]),
    });

    await extension.render();

    await eventually(() => expect(lines()).toHaveLength(4));
    expect(lines()).toEqual([
      "Compte client Compte actif",
      "État du compte : Compte actif 2026-11-22 12:00",
      "Lien d'activation créé expire le 2026-12-21 10:00 2026-11-21 10:00",
      "Invitation envoyée 2026-11-20 09:30",
    ]);
    expect(document.querySelector("s-admin-block")?.getAttribute("heading")).toBe(
      "Invitations à créer un compte",
    );
    expect(document.querySelector("s-admin-block")?.getAttribute("collapsedSummary")).toBe("3 événements");
  });

  it("counts 0 and 1 event in the singular, as French does", async () => {
    useBackend({ [`GET ${HISTORY}`]: history("DISABLED") });

    await extension.render();

    await eventually(() =>
      expect(screenText()).toContain("Aucune invitation à créer un compte ni aucun lien d'activation"),
    );
    expect(document.querySelector("s-admin-block")?.getAttribute("collapsedSummary")).toBe("0 événement");
  });
});
