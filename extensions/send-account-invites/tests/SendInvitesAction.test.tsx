/// <reference types="@shopify/ui-extensions/admin.customer-index.selection-action.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { campaignHref } from "../../shared/src/appLinks";
import {
  banner,
  bodyOf,
  button,
  click,
  customerGids,
  deferred,
  eventually,
  extensionUnderTest,
  field,
  json,
  queryBanner,
  queryButton,
  screenText,
  settle,
  type,
  useLocale,
} from "../../shared/tests/support";
import locale from "../locales/en.default.json";
import frLocale from "../locales/fr.json";
import { polling } from "../src/SendInvitesAction";
import { SEND_INVITES_TARGET } from "../src/targets";

const {
  extension,
  useBackend,
  select: selectCustomers,
} = extensionUnderTest(getExtension(SEND_INVITES_TARGET), locale);

function previewOf(customerIds: string[], skipped: Record<string, string> = {}, extra: object = {}) {
  const customers = customerIds.map((customerId) =>
    skipped[customerId]
      ? {
          customerId,
          eligible: false,
          reason: skipped[customerId],
          message: `server says ${skipped[customerId]}`,
        }
      : { customerId, eligible: true },
  );
  const byReason: Record<string, number> = {};
  for (const reason of Object.values(skipped)) byReason[reason] = (byReason[reason] ?? 0) + 1;
  const eligible = customers.filter((customer) => customer.eligible).length;
  return { customers, summary: { eligible, skipped: customers.length - eligible, byReason }, ...extra };
}

function campaign(status: string, counts: Partial<Record<string, number>>, extra: object = {}) {
  const full = { queued: 0, sending: 0, sent: 0, skipped: 0, failed: 0, ...counts };
  const total = Object.values(full).reduce((sum, count) => sum + count, 0);
  return { campaign: { id: "camp_1", status, total, counts: full, recentFailures: [], ...extra } };
}

beforeEach(() => {
  polling.intervalMs = 5;
});

describe("Send account invites (customer list, selected customers)", () => {
  it("asks the merchant to select customers when nothing is selected, without calling the app", async () => {
    selectCustomers([]);
    const backend = useBackend({});

    await extension.render();

    expect(banner("No customers selected")).toBeTruthy();
    expect(backend.calls).toHaveLength(0);
    expect(queryButton("Send 0 invites")).toBeNull();
  });

  it("shows how many customers are selected while it checks who can be invited", async () => {
    selectCustomers(customerGids(3));
    const answer = deferred<Response>();
    useBackend({ "POST /api/invites/preview": answer.promise });

    await extension.render();

    await eventually(() =>
      expect(screenText()).toContain("Checking which of the 3 customers can be invited…"),
    );
    expect(screenText()).toContain("3 customers selected");
    expect(document.querySelector("s-spinner")).not.toBeNull();
    expect(document.querySelector("s-admin-action")?.hasAttribute("loading")).toBe(true);
    answer.resolve(json(200, previewOf(customerGids(3))));
    await eventually(() => expect(screenText()).toContain("3 will be invited, 0 skipped"));
  });

  it("previews who will be invited and who is skipped, grouped by reason, without sending anything", async () => {
    const selection = customerGids(5);
    selectCustomers(selection);
    const backend = useBackend({
      "POST /api/invites/preview": json(
        200,
        previewOf(selection, {
          [selection[0]!]: "ACCOUNT_ENABLED",
          [selection[1]!]: "ACCOUNT_ENABLED",
          [selection[2]!]: "NO_EMAIL",
        }),
      ),
    });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("2 will be invited, 3 skipped"));
    expect(screenText()).toContain("Account already active: 2");
    expect(screenText()).toContain("No email address: 1");
    expect(backend.calls).toEqual([
      { method: "POST", path: "/api/invites/preview", body: { customerIds: selection } },
    ]);
    expect(button("Send 2 invites")).toBeTruthy();
  });

  it("uses the server's words for a skip reason it does not know", async () => {
    const selection = customerGids(2);
    selectCustomers(selection);
    useBackend({
      "POST /api/invites/preview": json(
        200,
        previewOf(selection, { [selection[0]!]: "TAGGED_DO_NOT_CONTACT" }),
      ),
    });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("server says TAGGED_DO_NOT_CONTACT: 1"));
  });

  it("previews a large selection 250 customers at a time and adds the answers up", async () => {
    const selection = customerGids(600);
    selectCustomers(selection);
    const backend = useBackend({
      "POST /api/invites/preview": (call) => {
        const chunk = (call.body as { customerIds: string[] }).customerIds;
        return json(200, previewOf(chunk, { [chunk[0]!]: "NO_EMAIL" }));
      },
    });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("597 will be invited, 3 skipped"));
    expect(backend.calls.map((call) => (bodyOf(call).customerIds as string[]).length)).toEqual([
      250, 250, 100,
    ]);
    expect(screenText()).toContain("No email address: 3");
  });

  it("tells the merchant when nobody can be invited, and offers no send", async () => {
    const selection = customerGids(2);
    selectCustomers(selection);
    useBackend({
      "POST /api/invites/preview": json(
        200,
        previewOf(selection, { [selection[0]!]: "ACCOUNT_ENABLED", [selection[1]!]: "INVITED_RECENTLY" }),
      ),
    });

    await extension.render();

    await eventually(() => expect(banner("Nobody to invite")).toBeTruthy());
    expect(screenText()).toContain("0 will be invited, 2 skipped");
    expect(screenText()).toContain("Invited recently: 1");
    expect(document.querySelector('s-button[slot="primary-action"]')).toBeNull();
    expect(button("Close")).toBeTruthy();
  });

  it("explains that invites don't apply when the store uses new customer accounts", async () => {
    const selection = customerGids(2);
    selectCustomers(selection);
    useBackend({
      "POST /api/invites/preview": json(
        200,
        previewOf(selection, {
          [selection[0]!]: "NEW_CUSTOMER_ACCOUNTS",
          [selection[1]!]: "NEW_CUSTOMER_ACCOUNTS",
        }),
      ),
    });

    await extension.render();

    await eventually(() => expect(banner("Account invites don't apply to your store")).toBeTruthy());
    expect(document.querySelector('s-button[slot="primary-action"]')).toBeNull();
  });

  it("prefills the email with the shop's saved defaults", async () => {
    selectCustomers(customerGids(1));
    useBackend({
      "POST /api/invites/preview": json(
        200,
        previewOf(
          customerGids(1),
          {},
          { emailDefaults: { subject: "Activate your wholesale account", customMessage: null } },
        ),
      ),
    });

    await extension.render();

    await eventually(() =>
      expect(field("Subject").getAttribute("value") ?? field("Subject").value).toBe(
        "Activate your wholesale account",
      ),
    );
    expect(field("Custom message").value ?? field("Custom message").getAttribute("value") ?? "").toBe("");
  });

  it("sends once with the merchant's email text, even when Send is clicked twice", async () => {
    const selection = customerGids(3);
    selectCustomers(selection);
    const created = deferred<Response>();
    const backend = useBackend({
      "POST /api/invites/preview": json(200, previewOf(selection)),
      "POST /api/campaigns": created.promise,
      "GET /api/campaigns/camp_1": json(200, campaign("completed", { sent: 3 })),
    });
    await extension.render();
    await eventually(() => expect(button("Send 3 invites")).toBeTruthy());

    type(field("Subject"), "  Your new account  ");
    type(field("Custom message"), "Welcome to our wholesale store.");
    await settle();
    click(button("Send 3 invites"));
    click(button("Send 3 invites"));
    created.resolve(json(202, campaign("queued", { queued: 3 })));

    await eventually(() => expect(screenText()).toContain("Invites are on their way"));
    const sends = backend.callsTo("POST", "/api/campaigns");
    expect(sends).toHaveLength(1);
    expect(bodyOf(sends[0])).toEqual({
      customerIds: selection,
      email: { subject: "Your new account", customMessage: "Welcome to our wholesale store." },
      idempotencyKey: expect.any(String),
    });
  });

  it("sends no email options when the merchant leaves them empty", async () => {
    selectCustomers(customerGids(1));
    const backend = useBackend({
      "POST /api/invites/preview": json(200, previewOf(customerGids(1))),
      "POST /api/campaigns": json(202, campaign("completed", { sent: 1 })),
    });
    await extension.render();
    await eventually(() => click(button("Send 1 invite")));

    await eventually(() => expect(backend.callsTo("POST", "/api/campaigns")).toHaveLength(1));
    expect(bodyOf(backend.callsTo("POST", "/api/campaigns")[0])).not.toHaveProperty("email");
  });

  it("retries a send that could not reach the app with the same idempotency key", async () => {
    const selection = customerGids(2);
    selectCustomers(selection);
    const backend = useBackend({
      "POST /api/invites/preview": json(200, previewOf(selection)),
      "POST /api/campaigns": ["network-error", json(202, campaign("completed", { sent: 2 }))],
    });
    await extension.render();
    await eventually(() => click(button("Send 2 invites")));

    await eventually(() => expect(banner("Account Invites can't be reached")).toBeTruthy());
    click(button("Try again"));

    await eventually(() => expect(screenText()).toContain("2 of 2 sent"));
    const sends = backend.callsTo("POST", "/api/campaigns");
    expect(sends).toHaveLength(2);
    expect(bodyOf(sends[1]).idempotencyKey).toBe(bodyOf(sends[0]).idempotencyKey);
  });

  it("shows the app's field errors on the fields they belong to", async () => {
    selectCustomers(customerGids(1));
    useBackend({
      "POST /api/invites/preview": json(200, previewOf(customerGids(1))),
      "POST /api/campaigns": json(400, {
        error: "Some fields are invalid",
        fieldErrors: { "email.subject": "Subject must not contain links", customerIds: "too many" },
      }),
    });
    await extension.render();
    await eventually(() => click(button("Send 1 invite")));

    await eventually(() =>
      expect(field("Subject").getAttribute("error")).toBe("Subject must not contain links"),
    );
    const heading = banner("Some details need fixing");
    expect(heading.textContent).toContain("Some fields are invalid");
    expect(heading.textContent).toContain("customerIds: too many");
    expect(heading.textContent).not.toContain("Subject must not contain links");
  });

  it("refuses a subject longer than Shopify allows before sending", async () => {
    selectCustomers(customerGids(1));
    const backend = useBackend({ "POST /api/invites/preview": json(200, previewOf(customerGids(1))) });
    await extension.render();
    await eventually(() => expect(button("Send 1 invite")).toBeTruthy());

    type(field("Subject"), "x".repeat(256));

    await eventually(() => expect(field("Subject").getAttribute("error")).toBe("Use at most 255 characters"));
    expect(button("Send 1 invite").hasAttribute("disabled")).toBe(true);
    click(button("Send 1 invite"));
    expect(backend.callsTo("POST", "/api/campaigns")).toHaveLength(0);
  });

  it("refuses a message with HTML before sending: a live store would refuse every invite", async () => {
    selectCustomers(customerGids(1));
    const backend = useBackend({ "POST /api/invites/preview": json(200, previewOf(customerGids(1))) });
    await extension.render();
    await eventually(() => expect(button("Send 1 invite")).toBeTruthy());

    type(field("Custom message"), "Welcome! <script>alert(1)</script>");

    await eventually(() =>
      expect(field("Custom message").getAttribute("error")).toBe(
        "Plain text only: Shopify refuses an invite with HTML in it.",
      ),
    );
    expect(button("Send 1 invite").hasAttribute("disabled")).toBe(true);
    click(button("Send 1 invite"));
    expect(backend.callsTo("POST", "/api/campaigns")).toHaveLength(0);
  });

  it("shows the app's reason when the server fails", async () => {
    selectCustomers(customerGids(1));
    useBackend({
      "POST /api/invites/preview": json(200, previewOf(customerGids(1))),
      "POST /api/campaigns": json(500, { error: "The invite ledger is unavailable. Try again in a minute." }),
    });
    await extension.render();
    await eventually(() => click(button("Send 1 invite")));

    await eventually(() =>
      expect(banner("Account Invites ran into a problem").textContent).toContain(
        "The invite ledger is unavailable. Try again in a minute.",
      ),
    );
    expect(button("Send 1 invite")).toBeTruthy();
  });

  it("says what was refused when the app answers 409", async () => {
    selectCustomers(customerGids(1));
    useBackend({
      "POST /api/invites/preview": json(200, previewOf(customerGids(1))),
      "POST /api/campaigns": json(409, { error: "This key was used for a different selection." }),
    });
    await extension.render();
    await eventually(() => click(button("Send 1 invite")));

    await eventually(() =>
      expect(banner("This was already done").textContent).toContain(
        "This key was used for a different selection.",
      ),
    );
  });

  it("tells a staff member without customer permissions plainly that they cannot send (403)", async () => {
    selectCustomers(customerGids(2));
    useBackend({
      "POST /api/invites/preview": json(200, previewOf(customerGids(2))),
      "POST /api/campaigns": json(403, {
        error: "You don't have permission…",
        code: "CUSTOMER_WRITE_REQUIRED",
      }),
    });
    await extension.render();
    await eventually(() => click(button("Send 2 invites")));

    await eventually(() =>
      expect(banner("You don't have permission to do this").textContent).toContain(
        "Ask the store owner to give it to you in Settings › Users and permissions. Nothing was sent.",
      ),
    );
    expect(button("Send 2 invites")).toBeTruthy();
  });

  it("asks the merchant to reload when the session has expired", async () => {
    selectCustomers(customerGids(2));
    useBackend({ "POST /api/invites/preview": new Response("", { status: 401 }) });

    await extension.render();

    await eventually(() => expect(banner("Your session has expired")).toBeTruthy());
    expect(document.querySelector('s-button[slot="primary-action"]')).toBeNull();
  });

  it("says the app can't be reached, and previews again on Try again", async () => {
    selectCustomers(customerGids(2));
    useBackend({ "POST /api/invites/preview": ["network-error", json(200, previewOf(customerGids(2)))] });

    await extension.render();

    await eventually(() => expect(banner("Account Invites can't be reached")).toBeTruthy());
    click(button("Try again"));
    await eventually(() => expect(screenText()).toContain("2 will be invited, 0 skipped"));
    expect(queryBanner("Account Invites can't be reached")).toBeNull();
  });

  it("shows live progress until the campaign is done, then links to it in the app", async () => {
    const selection = customerGids(3);
    selectCustomers(selection);
    const backend = useBackend({
      "POST /api/invites/preview": json(200, previewOf(selection)),
      "POST /api/campaigns": json(202, campaign("queued", { queued: 3 })),
      "GET /api/campaigns/camp_1": [
        json(200, campaign("running", { sent: 1, sending: 1, queued: 1 })),
        "network-error",
        json(
          200,
          campaign(
            "completed",
            { sent: 2, failed: 1 },
            {
              recentFailures: [
                { customerId: selection[2], reason: "SHOPIFY_ERROR", message: "Email is invalid" },
              ],
            },
          ),
        ),
      ],
    });
    await extension.render();
    await eventually(() => click(button("Send 3 invites")));

    await eventually(() => expect(screenText()).toContain("0 of 3 sent"));
    expect(document.querySelector("s-badge")?.textContent).toBe("Queued");
    await eventually(() => expect(screenText()).toContain("1 of 3 sent"));
    expect(screenText()).toContain("2 waiting");
    await eventually(() => expect(screenText()).toContain("Progress could not be refreshed"));
    await eventually(() => expect(screenText()).toContain("2 of 3 sent"));
    expect(document.querySelector("s-badge")?.textContent).toBe("Completed");
    expect(screenText()).toContain("1 failed");
    expect(screenText()).toContain("Shopify refused the invite");
    expect(screenText()).not.toContain("Progress could not be refreshed");

    const link = document.querySelector("s-link");
    expect(link?.textContent).toBe("View campaign in Account Invites");
    expect(link?.getAttribute("href")).toBe(campaignHref("camp_1"));
    expect(campaignHref("camp_1")).toBe("app:app/campaigns/camp_1");

    const polls = backend.callsTo("GET", "/api/campaigns/camp_1").length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.callsTo("GET", "/api/campaigns/camp_1")).toHaveLength(polls);
  });

  it("closes the dialog when the merchant is done", async () => {
    selectCustomers(customerGids(1));
    const close = vi.fn();
    extension.shopify.close = close;
    useBackend({
      "POST /api/invites/preview": json(200, previewOf(customerGids(1))),
      "POST /api/campaigns": json(202, campaign("completed", { sent: 1 })),
    });
    await extension.render();
    await eventually(() => click(button("Send 1 invite")));

    await eventually(() => click(button("Done")));

    expect(close).toHaveBeenCalledOnce();
  });
});

describe("Send account invites in French (locales/fr.json)", () => {
  beforeEach(() => {
    useLocale(extension.shopify.i18n, frLocale, "fr");
  });

  it("shows the dry run, the send button and the progress with French plurals", async () => {
    const selection = customerGids(3);
    selectCustomers(selection);
    useBackend({
      "POST /api/invites/preview": json(200, previewOf(selection, { [selection[0]!]: "ACCOUNT_ENABLED" })),
      "POST /api/campaigns": json(202, campaign("running", { sent: 1, sending: 1, skipped: 1 })),
      "GET /api/campaigns/camp_1": json(200, campaign("completed", { sent: 2, skipped: 1 })),
    });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("2 clients seront invités, 1 ignoré"));
    expect(document.querySelector("s-admin-action")?.getAttribute("heading")).toBe(
      "Envoyer des invitations à créer un compte",
    );
    expect(screenText()).toContain("3 clients sélectionnés");
    expect(screenText()).toContain("Compte déjà actif : 1");
    expect(field("Objet")).toBeTruthy();
    expect(field("Message personnalisé").getAttribute("details")).toBe(
      "Laissez vide pour envoyer l'invitation à créer un compte standard de Shopify.",
    );
    click(button("Envoyer 2 invitations"));

    await eventually(() => expect(screenText()).toContain("1 invitation envoyée sur 3"));
    expect(screenText()).toContain("1 en attente");
    expect(screenText()).toContain("1 ignoré");
    await eventually(() => expect(screenText()).toContain("2 invitations envoyées sur 3"));
    expect(document.querySelector("s-badge")?.textContent).toBe("Terminée");
    expect(screenText()).toContain("Voir la campagne dans Account Invites");
  });

  it("uses the singular for 0 and 1, as French does", async () => {
    const selection = customerGids(2);
    selectCustomers(selection);
    useBackend({
      "POST /api/invites/preview": json(
        200,
        previewOf(selection, { [selection[0]!]: "NO_EMAIL", [selection[1]!]: "INVITED_RECENTLY" }),
      ),
    });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("0 client sera invité, 2 ignorés"));
    expect(banner("Personne à inviter")).toBeTruthy();
    expect(screenText()).toContain("Aucune adresse e-mail : 1");
  });

  it("writes the selection limit the French way", async () => {
    selectCustomers(customerGids(5_001));
    useBackend({});

    await extension.render();

    expect(banner("Trop de clients sélectionnés")).toBeTruthy();
    expect(screenText()).toContain("Sélectionnez au maximum 5 000 clients à la fois.");
  });
});
