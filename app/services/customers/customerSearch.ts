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
 * The search string for the choices; "" when nothing narrows the audience. Each choice is one clause
 * ANDed with the others, and a clause that holds an OR is put in parentheses, so that every state, tag
 * and term keeps its meaning: `(state:disabled OR state:invited) tag:vip (country:CA OR country:US)`.
 * Shopify's customer search supports grouping (https://shopify.dev/docs/api/usage/search-syntax).
 */
export function buildCustomerQuery({ states, tags, query }: AudienceChoices): string {
  const terms = query.trim();
  const clauses: string[] = [];
  if (states.length > 0 && states.length < CUSTOMER_STATES.length) {
    const parts = states.map((state) => `state:${state.toLowerCase()}`);
    clauses.push(parts.length > 1 ? `(${parts.join(" OR ")})` : parts[0]!);
  }
  clauses.push(...tags.map((tag) => `tag:${quote(tag)}`));
  if (terms) clauses.push(/\bOR\b/.test(terms) && !isGrouped(terms) ? `(${terms})` : terms);
  return clauses.join(" ");
}

/** Terms already wrapped in one pair of parentheses that spans them all. */
function isGrouped(terms: string): boolean {
  if (!terms.startsWith("(") || !terms.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < terms.length; i++) {
    if (terms[i] === "(") depth++;
    if (terms[i] === ")") depth--;
    if (depth === 0 && i < terms.length - 1) return false;
  }
  return true;
}
