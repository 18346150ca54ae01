import type { Message } from "~/i18n/message";
import { english, render } from "~/i18n/translate.server";

// Messages as an English-reading merchant sees them: tests assert the words, services return keys.

export function inEnglish(messages: Record<string, Message>): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([field, m]) => [field, render(english(), m)]));
}

/** A parse result with its field errors rendered in English. */
export function withEnglishErrors<T extends { success: boolean }>(result: T) {
  return "errors" in result && result.errors
    ? { ...result, errors: inEnglish(result.errors as Record<string, Message>) }
    : result;
}
