// `app:` links resolve against the app's URL inside admin: they open the app's own pages.

/** Where a campaign lives in the app. */
export function campaignHref(campaignId: string): string {
  return `app:app/campaigns/${encodeURIComponent(campaignId)}`;
}
