import { describe, expect, it } from "vitest";
import { emailColumnsOf, emailOf } from "~/models/campaignEmail";

describe("campaign email columns", () => {
  it("keeps every option through the round trip, bcc included", () => {
    const email = {
      subject: "Hi",
      customMessage: "Welcome",
      from: "shop@example.com",
      bcc: ["a@example.com"],
    };
    expect(emailOf(emailColumnsOf(email))).toEqual(email);
  });

  it("stores no options as nulls and reads them back as Shopify's defaults", () => {
    expect(emailColumnsOf(undefined)).toEqual({
      emailSubject: null,
      emailCustomMessage: null,
      emailFrom: null,
      emailBcc: null,
    });
    expect(emailOf(emailColumnsOf({ bcc: [] }))).toBeNull();
  });

  it("ignores a bcc column that is not a JSON array of strings", () => {
    expect(
      emailOf({ emailSubject: "S", emailCustomMessage: null, emailFrom: null, emailBcc: "not json" }),
    ).toEqual({ subject: "S" });
  });
});
