/// <reference types="@shopify/ui-extensions/admin.customer-index.selection-action.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { beforeEach, describe, expect, it } from "vitest";
import {
  banner,
  button,
  click,
  customerGids,
  deferred,
  eventually,
  extensionUnderTest,
  json,
  queryButton,
  screenText,
  useLocale,
} from "../../shared/tests/support";
import locale from "../locales/en.default.json";
import frLocale from "../locales/fr.json";
import { exportHref, polling } from "../src/GetLinksAction";
import { GET_LINKS_TARGET } from "../src/targets";

const {
  extension,
  useBackend,
  select: selectCustomers,
} = extensionUnderTest(getExtension(GET_LINKS_TARGET), locale);

function linkExport(
  status: string,
  counts: Partial<Record<string, number>>,
  total: number,
  extra: object = {},
) {
  return {
    linkExport: {
      id: "lx_1",
      status,
      total,
      counts: { issued: 0, skipped: 0, failed: 0, pending: 0, ...counts },
      replace: false,
      downloadable: status === "ready",
      expiresAt: "2026-12-02T12:00:00.000Z",
      ...extra,
    },
  };
}

function checkbox(label: string): HTMLElement & { checked?: boolean } {
  const found = document.querySelector<HTMLElement & { checked?: boolean }>(`s-checkbox[label="${label}"]`);
  if (!found) throw new Error(`No checkbox "${label}"`);
  return found;
}

beforeEach(() => {
  polling.intervalMs = 5;
});

describe("Get activation links (customer list, selected customers)", () => {
  it("asks the merchant to select customers when nothing is selected, without calling the app", async () => {
    selectCustomers([]);
    const backend = useBackend({});
    await extension.render();
    expect(banner("No customers selected")).toBeTruthy();
    expect(backend.calls).toHaveLength(0);
  });

  it("refuses a selection larger than one export takes, before calling the app", async () => {
    selectCustomers(customerGids(1_001));
    const backend = useBackend({});
    await extension.render();
    expect(banner("Too many customers selected")).toBeTruthy();
    expect(screenText()).toContain("Select at most 1,000 customers at a time");
    expect(backend.calls).toHaveLength(0);
  });

  it("starts nothing until asked, and keeps links issued in the last 30 days unless 'replace' is checked", async () => {
    const selection = customerGids(3);
    selectCustomers(selection);
    const backend = useBackend({
      "POST /api/link-exports": json(202, linkExport("queued", { pending: 3 }, 3)),
    });
    await extension.render();

    expect(screenText()).toContain("3 customers selected");
    expect(banner("These links are passwords")).toBeTruthy();
    expect(Boolean(checkbox("Replace links issued in the last 30 days").checked)).toBe(false);
    expect(backend.calls).toHaveLength(0);

    click(button("Get 3 links"));
    await eventually(() => expect(backend.calls).toHaveLength(1));
    expect(backend.calls[0]).toEqual({
      method: "POST",
      path: "/api/link-exports",
      body: { customerIds: selection, replace: false, idempotencyKey: expect.any(String) },
    });
  });

  it("sends the merchant's explicit choice to replace recent links", async () => {
    selectCustomers(customerGids(2));
    const backend = useBackend({
      "POST /api/link-exports": json(202, linkExport("queued", { pending: 2 }, 2)),
    });
    await extension.render();
    const replace = checkbox("Replace links issued in the last 30 days");
    replace.checked = true;
    replace.dispatchEvent(new Event("change", { bubbles: true }));
    await eventually(() => expect(checkbox("Replace links issued in the last 30 days").checked).toBe(true));
    click(button("Get 2 links"));
    await eventually(() => expect(backend.calls).toHaveLength(1));
    expect(backend.calls[0]?.body).toMatchObject({ replace: true });
  });

  it("starts one export per dialog: a second click while the first is out does nothing, and a retry carries the same key", async () => {
    selectCustomers(customerGids(2));
    const first = deferred<Response>();
    const backend = useBackend({
      "POST /api/link-exports": [first.promise, json(202, linkExport("queued", { pending: 2 }, 2))],
    });
    await extension.render();
    click(button("Get 2 links"));
    click(button("Get 2 links"));
    await eventually(() => expect(backend.calls).toHaveLength(1));
    first.resolve(json(503, { error: "Shopify did not answer; try again in a moment." }));
    await eventually(() => expect(banner("Account Invites ran into a problem")).toBeTruthy());
    click(button("Try again"));
    await eventually(() => expect(backend.calls).toHaveLength(2));
    const keys = backend.calls.map((call) => (call.body as { idempotencyKey: string }).idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
  });

  it("shows the progress while the app issues the links, then hands the download over to the app's page", async () => {
    selectCustomers(customerGids(4));
    const backend = useBackend({
      "POST /api/link-exports": json(202, linkExport("queued", { pending: 4 }, 4)),
      "GET /api/link-exports/lx_1": [
        json(200, linkExport("running", { issued: 1, pending: 3 }, 4)),
        json(200, linkExport("running", { issued: 3, failed: 0, pending: 1 }, 4)),
        json(200, linkExport("ready", { issued: 3, skipped: 1 }, 4)),
      ],
    });
    await extension.render();
    click(button("Get 4 links"));

    await eventually(() => expect(screenText()).toContain("1 issued, 0 skipped, 0 failed, of 4"));
    expect(screenText()).toContain("3 customers to go…");
    expect(screenText()).toContain("You can close this");
    const follow = document.querySelector("s-link");
    expect(follow?.getAttribute("href")).toBe("app:app/links?export=lx_1");

    await eventually(() => expect(screenText()).toContain("3 issued, 1 skipped, 0 failed, of 4"));
    expect(banner("Your links are ready")).toBeTruthy();
    // The action cannot save a file: its primary button is an `app:` link to the export's page.
    const download = button("Download in Account Invites");
    expect(download.getAttribute("href")).toBe(exportHref("lx_1"));
    expect(exportHref("lx_1")).toBe("app:app/links?export=lx_1");
    // AND no link ever reaches the extension, and polling stops once ready
    expect(JSON.stringify(backend.calls)).not.toContain("account/activate");
    const polls = backend.callsTo("GET", "/api/link-exports/lx_1").length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.callsTo("GET", "/api/link-exports/lx_1")).toHaveLength(polls);
  });

  it("says so when the export's hour ran out", async () => {
    selectCustomers(customerGids(1));
    useBackend({
      "POST /api/link-exports": json(202, linkExport("queued", { pending: 1 }, 1)),
      "GET /api/link-exports/lx_1": json(200, linkExport("expired", { issued: 1 }, 1)),
    });
    await extension.render();
    click(button("Get 1 link"));
    await eventually(() => expect(banner("The hour to download these links is over")).toBeTruthy());
    expect(queryButton("Download in Account Invites")).toBeNull();
  });

  it("explains a refused selection with the server's field errors", async () => {
    selectCustomers(customerGids(1));
    useBackend({
      "POST /api/link-exports": json(400, {
        error: "Some fields are not valid.",
        fieldErrors: { "customerIds.0": "not a customer id" },
      }),
    });
    await extension.render();
    click(button("Get 1 link"));
    await eventually(() => expect(banner("Some details need fixing")).toBeTruthy());
    expect(screenText()).toContain("customerIds.0: not a customer id");
  });
});

describe("Get activation links for a staff member without customer permissions", () => {
  it("says plainly that the permission is missing, and issues nothing", async () => {
    selectCustomers(customerGids(2));
    const backend = useBackend({
      "POST /api/link-exports": json(403, {
        error: "You don't have permission…",
        code: "CUSTOMER_WRITE_REQUIRED",
      }),
    });
    await extension.render();
    click(button("Get 2 links"));
    await eventually(() =>
      expect(banner("You don't have permission to do this").textContent).toContain(
        "Ask the store owner to give it to you in Settings › Users and permissions.",
      ),
    );
    expect(backend.callsTo("GET", "/api/link-exports/lx_1")).toHaveLength(0);
    expect(button("Get 2 links")).toBeTruthy();
  });
});

describe("Get activation links in French", () => {
  beforeEach(() => {
    useLocale(extension.shopify.i18n, frLocale, "fr");
  });

  it("speaks French, with French plurals and numbers", async () => {
    selectCustomers(customerGids(2));
    useBackend({
      "POST /api/link-exports": json(202, linkExport("queued", { pending: 2 }, 2)),
      "GET /api/link-exports/lx_1": json(200, linkExport("ready", { issued: 2 }, 2)),
    });
    await extension.render();
    expect(screenText()).toContain("2 clients sélectionnés");
    click(button("Obtenir 2 liens"));
    await eventually(() => expect(banner("Vos liens sont prêts")).toBeTruthy());
    expect(screenText()).toContain("2 émis, 0 ignorés, 0 en échec, sur 2");
    expect(button("Télécharger dans Account Invites").getAttribute("href")).toBe("app:app/links?export=lx_1");
  });
});
