/// <reference types="@shopify/ui-extensions/admin.customer-details.action.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  banner,
  button,
  click,
  customerHistory,
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
  unmount,
  useLocale,
} from "../../shared/tests/support";
import locale from "../locales/en.default.json";
import frLocale from "../locales/fr.json";
import { CUSTOMER_INVITE_TARGET } from "../src/targets";

const CUSTOMER = "gid://shopify/Customer/42";
const { extension, useBackend } = extensionUnderTest(getExtension(CUSTOMER_INVITE_TARGET), locale, {
  selected: [CUSTOMER],
});
const HISTORY = "/api/customers/42/history";
const INVITE = "/api/customers/42/invite";
const LINK = "/api/customers/42/activation-url";
const SECRET_URL = "https://shop.example/account/activate/42/secret-token";

const history = (state: string | null, events: object[] = []) => customerHistory(CUSTOMER, state, events);

describe("Account invite & activation link (customer page)", () => {
  it("says it is loading the customer's account while the app answers", async () => {
    const answer = deferred<Response>();
    useBackend({ [`GET ${HISTORY}`]: answer.promise });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("Loading this customer's account…"));
    expect(document.querySelector("s-spinner")).not.toBeNull();
    answer.resolve(history("DISABLED"));
    await eventually(() => expect(screenText()).toContain("No account yet"));
  });

  it("shows the customer's account state and last invite", async () => {
    const backend = useBackend({
      [`GET ${HISTORY}`]: history("INVITED", [
        { type: "activation_link", at: "2026-11-21T10:00:00Z", expiresAt: "2026-12-21T10:00:00Z" },
        { type: "invite", at: "2026-11-20T09:30:00Z", status: "sent", campaignId: "camp_1" },
        { type: "invite", at: "2026-10-01T09:30:00Z", status: "failed", reason: "SHOPIFY_ERROR" },
      ]),
    });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("Last invite sent 2026-11-20 09:30"));
    expect(document.querySelector("s-badge")?.textContent).toBe("Invited");
    expect(backend.calls).toEqual([{ method: "GET", path: HISTORY, body: null }]);
  });

  it("says when no invite was sent yet, and why the last one was skipped", async () => {
    useBackend({ [`GET ${HISTORY}`]: history("DISABLED") });
    await extension.render();
    await eventually(() => expect(screenText()).toContain("No invite sent by Account Invites yet"));

    unmount();
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED", [
        { type: "invite", at: "2026-11-20T09:30:00Z", status: "skipped", reason: "NO_EMAIL" },
      ]),
    });
    await extension.render();
    await eventually(() =>
      expect(screenText()).toContain("Last invite skipped 2026-11-20 09:30: No email address"),
    );
  });

  it("offers nothing to send when the account is already active", async () => {
    useBackend({ [`GET ${HISTORY}`]: history("ENABLED") });

    await extension.render();

    await eventually(() => expect(banner("This customer's account is already active")).toBeTruthy());
    expect(queryButton("Send invite")).toBeNull();
    expect(queryButton("Get activation link")).toBeNull();
  });

  it("sends one invite with the merchant's subject and refreshes the history", async () => {
    const backend = useBackend({
      [`GET ${HISTORY}`]: [
        history("DISABLED"),
        history("INVITED", [{ type: "invite", at: "2026-11-23T08:00:00Z", status: "sent" }]),
      ],
      [`POST ${INVITE}`]: json(200, { result: { status: "sent" } }),
    });
    await extension.render();
    await eventually(() => expect(button("Send invite")).toBeTruthy());

    type(field("Email subject (optional)"), "Your account is ready");
    await settle();
    click(button("Send invite"));
    click(button("Send invite"));

    await eventually(() =>
      expect(banner("Invite sent. The customer receives an email to activate their account.")).toBeTruthy(),
    );
    expect(backend.callsTo("POST", INVITE)).toEqual([
      {
        method: "POST",
        path: INVITE,
        body: { email: { subject: "Your account is ready" }, idempotencyKey: expect.any(String) },
      },
    ]);
    await eventually(() => expect(screenText()).toContain("Last invite sent 2026-11-23 08:00"));
    expect(backend.callsTo("GET", HISTORY)).toHaveLength(2);
  });

  it("sends the dialog's one idempotency key again when the merchant retries", async () => {
    const backend = useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${INVITE}`]: [
        json(503, { error: "Shopify did not answer." }),
        json(200, { result: { status: "sent" } }),
      ],
    });
    await extension.render();
    await eventually(() => expect(button("Send invite")).toBeTruthy());
    click(button("Send invite"));
    await eventually(() => expect(backend.callsTo("POST", INVITE)).toHaveLength(1));
    await settle();
    await eventually(() => expect(button("Send invite")).toBeTruthy());
    click(button("Send invite"));
    await eventually(() => expect(backend.callsTo("POST", INVITE)).toHaveLength(2));
    const [first, second] = backend.callsTo("POST", INVITE) as { body: { idempotencyKey: string } }[];
    expect(first!.body.idempotencyKey).toEqual(expect.any(String));
    expect(second!.body.idempotencyKey).toBe(first!.body.idempotencyKey);
  });

  it("tells the merchant when the app skipped or Shopify refused the invite", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("INVITED"),
      [`POST ${INVITE}`]: [
        json(200, {
          result: { status: "skipped", reason: "INVITED_RECENTLY", message: "Invited 2 hours ago." },
        }),
        json(200, { result: { status: "failed", reason: "SHOPIFY_ERROR", message: "Email is invalid" } }),
      ],
    });
    await extension.render();

    await eventually(() => click(button("Send invite")));
    await eventually(() => expect(banner("Invite not sent: Invited recently")).toBeTruthy());
    click(button("Send invite"));
    await eventually(() => expect(banner("Invite failed: Shopify refused the invite")).toBeTruthy());
  });

  it("shows the app's field error on the subject", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${INVITE}`]: json(400, {
        error: "Invalid email options",
        fieldErrors: { "email.subject": ["Too short"] },
      }),
    });
    await extension.render();
    await eventually(() => click(button("Send invite")));

    await eventually(() => expect(field("Email subject (optional)").getAttribute("error")).toBe("Too short"));
    expect(banner("Some details need fixing").textContent).toContain("Invalid email options");
  });

  it("gets an activation link, shows when it expires and copies it", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const backend = useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${LINK}`]: json(200, { url: SECRET_URL, expiresAt: "2026-12-23T08:00:00Z" }),
    });
    await extension.render();

    await eventually(() => click(button("Get activation link")));

    await eventually(() => expect(field("Activation link").getAttribute("value")).toBe(SECRET_URL));
    expect(
      field("Activation link").hasAttribute("readonly") || field("Activation link").hasAttribute("readOnly"),
    ).toBe(true);
    expect(screenText()).toContain("Expires 2026-12-23 08:00");
    expect(backend.callsTo("POST", LINK)).toEqual([{ method: "POST", path: LINK, body: {} }]);

    click(button("Copy link"));
    await eventually(() => expect(screenText()).toContain("Link copied"));
    expect(writeText).toHaveBeenCalledWith(SECRET_URL);
    vi.unstubAllGlobals();
  });

  it("tells the merchant to copy by hand where the clipboard is not available", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: undefined });
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${LINK}`]: json(200, { url: SECRET_URL, expiresAt: "2026-12-23T08:00:00Z" }),
    });
    await extension.render();
    await eventually(() => click(button("Get activation link")));

    await eventually(() => click(button("Copy link")));

    await eventually(() =>
      expect(screenText()).toContain("Copy is not available here: select the link and copy it."),
    );
    vi.unstubAllGlobals();
  });

  it("warns before replacing a recent link, and replaces it only when the merchant confirms", async () => {
    const backend = useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${LINK}`]: (call) =>
        (call.body as { replace?: boolean }).replace
          ? json(200, { url: SECRET_URL, expiresAt: "2026-12-23T08:00:00Z" })
          : json(409, {
              error: "A link was issued in the last 30 days; replacing it cancels it.",
              issuedAt: "2026-11-10T08:00:00Z",
            }),
    });
    await extension.render();

    await eventually(() => click(button("Get activation link")));
    await eventually(() => expect(banner("This customer already has a recent activation link")).toBeTruthy());
    expect(screenText()).toContain(
      "A link was issued 2026-11-10 08:00. Getting a new link cancels the previous one: the customer can no longer use it.",
    );

    click(button("Keep the current link"));
    await eventually(() =>
      expect(queryBanner("This customer already has a recent activation link")).toBeNull(),
    );
    expect(backend.callsTo("POST", LINK)).toHaveLength(1);

    click(button("Get activation link"));
    await eventually(() => click(button("Replace link")));

    await eventually(() => expect(field("Activation link").getAttribute("value")).toBe(SECRET_URL));
    expect(backend.callsTo("POST", LINK).map((call) => call.body)).toEqual([{}, {}, { replace: true }]);
  });

  it("keeps the activation link out of logs and storage", async () => {
    const logs = [
      vi.spyOn(console, "log"),
      vi.spyOn(console, "info"),
      vi.spyOn(console, "warn"),
      vi.spyOn(console, "debug"),
    ];
    const store = vi.spyOn(extension.shopify.storage, "set");
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${LINK}`]: json(200, { url: SECRET_URL, expiresAt: "2026-12-23T08:00:00Z" }),
    });
    await extension.render();
    await eventually(() => click(button("Get activation link")));
    await eventually(() => expect(field("Activation link").getAttribute("value")).toBe(SECRET_URL));

    for (const log of logs) expect(log).not.toHaveBeenCalled();
    expect(store).not.toHaveBeenCalled();
  });

  it("shows the server's reason when the link cannot be issued", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${LINK}`]: json(502, { error: "Shopify did not answer; try again." }),
    });
    await extension.render();
    await eventually(() => click(button("Get activation link")));

    await eventually(() =>
      expect(banner("Account Invites ran into a problem").textContent).toContain(
        "Shopify did not answer; try again.",
      ),
    );
  });

  it("tells a staff member without customer permissions plainly that they cannot send or get a link", async () => {
    const refused = { error: "You don't have permission…", code: "CUSTOMER_WRITE_REQUIRED" };
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${INVITE}`]: json(403, refused),
      [`POST ${LINK}`]: json(403, refused),
    });
    await extension.render();
    await eventually(() => click(button("Send invite")));

    await eventually(() =>
      expect(banner("You don't have permission to do this").textContent).toContain(
        "permission to create and edit customers",
      ),
    );
    click(button("Get activation link"));
    await eventually(() =>
      expect(
        document.querySelectorAll('s-banner[heading="You don\'t have permission to do this"]'),
      ).toHaveLength(2),
    );
    expect(screenText()).not.toContain("Activation link expires");
  });

  it("says the dialog already sent something else when its key comes back with other details (422)", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${INVITE}`]: json(422, { error: "This idempotency key…", code: "IDEMPOTENCY_KEY_REUSED" }),
    });
    await extension.render();
    await eventually(() => click(button("Send invite")));

    await eventually(() =>
      expect(banner("Already sent from this window").textContent).toContain("Nothing new was sent"),
    );
  });

  it("asks the merchant to reload when the session has expired", async () => {
    useBackend({ [`GET ${HISTORY}`]: json(401, { error: "Unauthorized" }) });

    await extension.render();

    await eventually(() => expect(banner("Your session has expired")).toBeTruthy());
    expect(queryButton("Send invite")).toBeNull();
  });

  it("says the app can't be reached, and loads again on Try again", async () => {
    useBackend({ [`GET ${HISTORY}`]: ["network-error", history("DISABLED")] });

    await extension.render();

    await eventually(() => expect(banner("Account Invites can't be reached")).toBeTruthy());
    click(button("Try again"));
    await eventually(() => expect(screenText()).toContain("No account yet"));
  });

  it("shows the app's message when the customer is unknown to it", async () => {
    useBackend({ [`GET ${HISTORY}`]: json(404, { error: "Customer not found in this shop." }) });

    await extension.render();

    await eventually(() =>
      expect(banner("Not found").textContent).toContain("Customer not found in this shop."),
    );
  });

  it("shows the server's reason when loading fails", async () => {
    useBackend({ [`GET ${HISTORY}`]: json(500, { error: "Database is migrating" }) });

    await extension.render();

    await eventually(() =>
      expect(banner("Account Invites ran into a problem").textContent).toContain("Database is migrating"),
    );
  });
});

describe("Account invite & activation link in French (locales/fr.json)", () => {
  beforeEach(() => {
    useLocale(extension.shopify.i18n, frLocale, "fr");
  });

  it("shows the account state, the last invite, the invite form and the activation link in French", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("INVITED", [
        { type: "invite", at: "2026-11-20T09:30:00Z", status: "skipped", reason: "NO_EMAIL" },
      ]),
    });

    await extension.render();

    await eventually(() =>
      expect(screenText()).toContain(
        "Dernière invitation ignorée le 2026-11-20 09:30 : Aucune adresse e-mail",
      ),
    );
    expect(document.querySelector("s-badge")?.textContent).toBe("Invité");
    expect(screenText()).toContain("Compte client");
    expect(button("Envoyer l'invitation")).toBeTruthy();
    expect(button("Obtenir un lien d'activation")).toBeTruthy();
    type(field("Objet de l'e-mail (facultatif)"), "x".repeat(256));
    await eventually(() =>
      expect(field("Objet de l'e-mail (facultatif)").getAttribute("error")).toBe(
        "Utilisez au maximum 255 caractères",
      ),
    );
  });

  it("tells a staff member without customer permissions in French", async () => {
    useBackend({
      [`GET ${HISTORY}`]: history("DISABLED"),
      [`POST ${INVITE}`]: json(403, { error: "You don't have permission…", code: "CUSTOMER_WRITE_REQUIRED" }),
    });
    await extension.render();
    await eventually(() => click(button("Envoyer l'invitation")));

    await eventually(() =>
      expect(banner("Vous n'avez pas l'autorisation de faire ceci").textContent).toContain(
        "créer et de modifier des clients",
      ),
    );
  });

  it("explains an API failure in French", async () => {
    useBackend({ [`GET ${HISTORY}`]: "network-error" });

    await extension.render();

    await eventually(() => expect(banner("Impossible de joindre Account Invites")).toBeTruthy());
    expect(button("Réessayer")).toBeTruthy();
  });
});
