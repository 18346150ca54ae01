import { CUSTOMER_STATES, type CustomerState } from "~/constants/invites";

// The new-campaign page's audience: account states, tags and a free Shopify customer search, turned into
// one search string (https://shopify.dev/docs/api/usage/search-syntax). Pure: the page shows the string
// it builds before the merchant sends. Tested in customerSearch.test.ts.

export interface AudienceChoices {
  /** Any of these states (none: every state). */
  states: CustomerState[];
  /** All of these tags. */
  tags: string[];
  /** Extra search terms, ANDed with the choices above. */
  query: string;
}

function quote(value: string) {
  return /^[\w-]+$/.test(value) ? value : `"${value.replace(/"/g, "")}"`;
}

/** Splits a comma-separated tag field into tags. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * The search string for the choices; "" when nothing narrows the audience. Several states become
 * clauses joined by OR, each repeating the tags and terms, because the search syntax has no parentheses
 * everywhere it is used (AND binds tighter than OR).
 */
export function buildCustomerQuery({ states, tags, query }: AudienceChoices): string {
  const terms = query.trim();
  const common = [...tags.map((tag) => `tag:${quote(tag)}`), ...(terms ? [terms] : [])].join(" ");
  if (states.length === 0 || states.length === CUSTOMER_STATES.length) return common;
  if (states.length > 1 && /\bOR\b/.test(terms)) {
    // Repeating terms that contain OR would change their meaning: keep them once, in the first clause.
    return states
      .map((state, i) => [`state:${state.toLowerCase()}`, i === 0 ? common : tagsOnly(tags)].join(" ").trim())
      .join(" OR ");
  }
  return states.map((state) => `state:${state.toLowerCase()} ${common}`.trim()).join(" OR ");
}

function tagsOnly(tags: string[]) {
  return tags.map((tag) => `tag:${quote(tag)}`).join(" ");
}
