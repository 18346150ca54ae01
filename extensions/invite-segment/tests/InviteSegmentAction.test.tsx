/// <reference types="@shopify/ui-extensions/admin.customer-segment-details.action.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { describe, expect, it } from "vitest";
import { campaignHref } from "../../shared/src/appLinks";
import {
  banner,
  bodyOf,
  button,
  click,
  deferred,
  eventually,
  extensionUnderTest,
  field,
  json,
  queryButton,
  screenText,
  settle,
  type,
  useLocale,
} from "../../shared/tests/support";
import locale from "../locales/en.default.json";
import frLocale from "../locales/fr.json";
import { INVITE_SEGMENT_TARGET } from "../src/targets";

const SEGMENT = "gid://shopify/Segment/7";
const { extension, useBackend } = extensionUnderTest(getExtension(INVITE_SEGMENT_TARGET), locale, {
  selected: [SEGMENT],
});

function previewOf(totalCount: number, summary: { eligible: number; skipped: number }, extra: object = {}) {
  const sampled = Math.min(250, totalCount);
  return {
    segment: { id: SEGMENT, name: "Wholesale buyers" },
    totalCount,
    sampled,
    more: totalCount > 250,
    summary: { ...summary, byReason: summary.skipped ? { ACCOUNT_ENABLED: summary.skipped } : {} },
    ...extra,
  };
}

const created = { campaign: { id: "camp_9", status: "queued", total: 0, counts: {}, recentFailures: [] } };

describe("Invite this segment (customer segment page)", () => {
  it("counts the segment's customers and samples who would be invited, before anything is sent", async () => {
    const answer = deferred<Response>();
    const backend = useBackend({ "POST /api/segments/preview": answer.promise });

    await extension.render();

    await eventually(() => expect(screenText()).toContain("Counting the segment's customers…"));
    answer.resolve(json(200, previewOf(1_200, { eligible: 240, skipped: 10 })));
    await eventually(() => expect(screenText()).toContain("1,200 customers in Wholesale buyers"));
    expect(screenText()).toContain("Of the first 250: 240 will be invited, 10 skipped");
    expect(screenText()).toContain("Account already active: 10");
    expect(backend.calls).toEqual([
      { method: "POST", path: "/api/segments/preview", body: { segmentId: SEGMENT } },
    ]);
    expect(button("Invite 1,200 customers")).toBeTruthy();
  });

  it("creates one campaign over the segment, once per dialog, with the email options", async () => {
    const answer = deferred<Response>();
    const backend = useBackend({
      "POST /api/segments/preview": json(200, previewOf(3, { eligible: 3, skipped: 0 })),
      "POST /api/campaigns": answer.promise,
    });
    await extension.render();
    await eventually(() => expect(button("Invite 3 customers")).toBeTruthy());

    type(field("Subject"), "  Your wholesale account  ");
    await settle();
    click(button("Invite 3 customers"));
    click(button("Invite 3 customers"));
    answer.resolve(json(202, created));

    await eventually(() => expect(banner("Campaign started")).toBeTruthy());
    const sends = backend.callsTo("POST", "/api/campaigns");
    expect(sends).toHaveLength(1);
    expect(bodyOf(sends[0])).toEqual({
      segmentId: SEGMENT,
      email: { subject: "Your wholesale account" },
      idempotencyKey: expect.any(String),
    });
    expect(document.querySelector(`s-link[href="${campaignHref("camp_9")}"]`)).not.toBeNull();
  });

  it("says so when the segment no longer exists", async () => {
    useBackend({
      "POST /api/segments/preview": json(404, {
        error: "This customer segment does not exist in this shop.",
      }),
    });
    await extension.render();
    await eventually(() =>
      expect(screenText()).toContain("This customer segment does not exist in this shop."),
    );
    expect(document.querySelector('s-button[slot="primary-action"]')).toBeNull();
  });

  it("offers no invite for an empty segment", async () => {
    useBackend({ "POST /api/segments/preview": json(200, previewOf(0, { eligible: 0, skipped: 0 })) });
    await extension.render();
    await eventually(() => expect(banner("This segment has no customers")).toBeTruthy());
    expect(queryButton("Invite 0 customers")).toBeNull();
  });

  it("shows why a segment cannot be read and lets the merchant try again", async () => {
    const backend = useBackend({
      "POST /api/segments/preview": [
        json(503, { error: "Shopify did not answer; try again in a moment." }),
        json(200, previewOf(2, { eligible: 2, skipped: 0 })),
      ],
    });
    await extension.render();
    await eventually(() => expect(screenText()).toContain("Shopify did not answer; try again in a moment."));
    click(button("Try again"));
    await eventually(() => expect(button("Invite 2 customers")).toBeTruthy());
    expect(backend.callsTo("POST", "/api/segments/preview")).toHaveLength(2);
  });

  it("refuses HTML in the message before calling the app", async () => {
    const backend = useBackend({
      "POST /api/segments/preview": json(200, previewOf(2, { eligible: 2, skipped: 0 })),
    });
    await extension.render();
    await eventually(() => expect(button("Invite 2 customers")).toBeTruthy());
    type(field("Custom message"), "<b>Hello</b>");
    await eventually(() =>
      expect(field("Custom message").getAttribute("error")).toBe(
        "Plain text only: Shopify refuses an invite with HTML in it.",
      ),
    );
    click(button("Invite 2 customers"));
    await settle();
    expect(backend.callsTo("POST", "/api/campaigns")).toHaveLength(0);
  });

  it("speaks French", async () => {
    useLocale(extension.shopify.i18n, frLocale, "fr");
    useBackend({ "POST /api/segments/preview": json(200, previewOf(1_200, { eligible: 250, skipped: 0 })) });
    await extension.render();
    await eventually(() => expect(screenText()).toMatch(/1\s200 clients dans Wholesale buyers/));
    expect(screenText()).toMatch(/Inviter 1\s200 clients/);
  });
});
