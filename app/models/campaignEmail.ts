// The one mapping between a campaign's email options and its columns: the ledger writes them when a
// campaign is recorded, the sender and "retry failed" read them back, so every option (bcc included)
// survives the round trip. Tested in campaignEmail.test.ts.

/** The options of Shopify's CustomerSendAccountInviteEmailInput the app sends. */
export interface CampaignEmail {
  subject?: string;
  customMessage?: string;
  from?: string;
  bcc?: string[];
}

export interface CampaignEmailColumns {
  emailSubject: string | null;
  emailCustomMessage: string | null;
  emailFrom: string | null;
  /** JSON array of addresses. */
  emailBcc: string | null;
}

export function emailColumnsOf(email: CampaignEmail | null | undefined): CampaignEmailColumns {
  return {
    emailSubject: email?.subject ?? null,
    emailCustomMessage: email?.customMessage ?? null,
    emailFrom: email?.from ?? null,
    emailBcc: email?.bcc?.length ? JSON.stringify(email.bcc) : null,
  };
}

/** The options stored on a campaign; null when it uses Shopify's defaults for all of them. */
export function emailOf(columns: CampaignEmailColumns): CampaignEmail | null {
  const email: CampaignEmail = {};
  if (columns.emailSubject) email.subject = columns.emailSubject;
  if (columns.emailCustomMessage) email.customMessage = columns.emailCustomMessage;
  if (columns.emailFrom) email.from = columns.emailFrom;
  const bcc = parseBcc(columns.emailBcc);
  if (bcc.length > 0) email.bcc = bcc;
  return Object.keys(email).length > 0 ? email : null;
}

function parseBcc(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}
