import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CampaignStatus, CustomerState, RecipientStatus } from "../src/apiTypes";
import {
  type LocaleTree,
  compareLocales,
  isPluralGroup,
  keysMatching,
  keysUsedIn,
  lookup,
  placeholdersOf,
  strings,
} from "./localeParity";

// Every extension speaks English (locales/en.default.json, Shopify's fallback) and French
// (locales/fr.json). A key, a plural form or a placeholder that exists in one language and not the
// other shows the merchant a raw key or a sentence with a hole; a key the code asks for that the
// default locale lacks shows the key itself. Both are caught here, for every extension.

const extensionsDir = join(fileURLToPath(import.meta.url), "../../..");
const EXTENSIONS = [
  "send-account-invites",
  "get-activation-links",
  "customer-invite-action",
  "customer-invite-history",
  "invite-segment",
];
const LANGUAGES = { en: "en.default.json", fr: "fr.json" } as const;

const readLocale = (name: string, file: string): LocaleTree =>
  JSON.parse(readFileSync(join(extensionsDir, name, "locales", file), "utf8")) as LocaleTree;

/**
 * The extension's own sources (src/) and the shared/src modules they import, directly or through another
 * shared module: a shared component asks for its keys only in the extensions that show it.
 */
function sourcesOf(name: string): { file: string; text: string }[] {
  const ownDir = join(extensionsDir, name, "src");
  const read = (path: string) => ({ file: relative(extensionsDir, path), text: readFileSync(path, "utf8") });
  const own = readdirSync(ownDir, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => join(ownDir, file));
  const seen = new Set(own);
  const pending = [...own];
  const sources: { file: string; text: string }[] = [];
  while (pending.length > 0) {
    const path = pending.shift()!;
    const source = read(path);
    sources.push(source);
    for (const match of source.text.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"/g)) {
      const base = join(dirname(path), match[1]!);
      const imported = [base, `${base}.ts`, `${base}.tsx`].find(
        (candidate) => /\.tsx?$/.test(candidate) && existsSync(candidate),
      );
      if (imported && !seen.has(imported)) {
        seen.add(imported);
        pending.push(imported);
      }
    }
  }
  return sources;
}

const extensions = EXTENSIONS.map((name) => ({
  name,
  en: readLocale(name, LANGUAGES.en),
  fr: readLocale(name, LANGUAGES.fr),
  uses: sourcesOf(name).flatMap(({ file, text }) => keysUsedIn(text, file)),
  toml: readFileSync(join(extensionsDir, name, "shopify.extension.toml"), "utf8"),
}));

/** Exhaustive lists of the API's enumerations (a new member fails the type check until it is added). */
const CUSTOMER_STATES = Object.keys({
  DISABLED: 1,
  INVITED: 1,
  ENABLED: 1,
  DECLINED: 1,
} satisfies Record<CustomerState, 1>);
const CAMPAIGN_STATUSES = Object.keys({
  queued: 1,
  running: 1,
  paused: 1,
  completed: 1,
  cancelled: 1,
  failed: 1,
} satisfies Record<CampaignStatus, 1>);
const RECIPIENT_STATUSES = Object.keys({
  queued: 1,
  sending: 1,
  sent: 1,
  skipped: 1,
  failed: 1,
} satisfies Record<RecipientStatus, 1>);

describe("compareLocales (the parity check itself)", () => {
  const en: LocaleTree = {
    heading: "Send account invites",
    selected: { one: "{{count}} customer selected", other: "{{count}} customers selected" },
    loading: { one: "Checking this customer…", other: "Checking {{count}} customers…" },
    errors: { server: "Error (HTTP {{status}})" },
  };
  const fr: LocaleTree = {
    heading: "Envoyer des invitations à créer un compte",
    selected: { one: "{{count}} client sélectionné", other: "{{count}} clients sélectionnés" },
    loading: { one: "Vérification de {{count}} client…", other: "Vérification de {{count}} clients…" },
    errors: { server: "Erreur (HTTP {{status}})" },
  };
  const without = (tree: LocaleTree, path: string): LocaleTree => {
    const copy = structuredClone(tree);
    const parts = path.split(".");
    const last = parts.pop()!;
    const parent = parts.length > 0 ? (lookup(copy, parts.join(".")) as LocaleTree) : copy;
    delete parent[last];
    return copy;
  };

  it("finds nothing when both languages have the same keys, forms and placeholders", () => {
    expect(compareLocales(en, fr)).toEqual([]);
  });

  it("reports a key missing from either language", () => {
    expect(compareLocales(en, without(fr, "heading"))).toEqual(['"heading" is in en but not in fr']);
    expect(compareLocales(without(en, "errors.server"), fr)).toEqual([
      '"errors.server" is in fr but not in en',
    ]);
  });

  it("reports a missing or extra plural form", () => {
    expect(compareLocales(en, without(fr, "selected.other"))).toEqual([
      '"selected.other" is in en but not in fr',
    ]);
    const withMany = structuredClone(fr);
    (withMany.selected as LocaleTree).many = "{{count}} de clients sélectionnés";
    expect(compareLocales(en, withMany)).toEqual(['"selected.many" is in fr but not in en']);
  });

  it("reports a plural key translated as a plain string, and the other way round", () => {
    expect(compareLocales(en, { ...fr, selected: "{{count}} client(s) sélectionné(s)" })).toEqual([
      '"selected" is a group in en but a string in fr',
    ]);
  });

  it("reports different placeholders, including a misspelt one", () => {
    expect(compareLocales(en, { ...fr, errors: { server: "Erreur (HTTP {{statut}})" } })).toEqual([
      '"errors.server" has placeholders {{status}} in en but {{statut}} in fr',
    ]);
    expect(compareLocales(en, { ...fr, errors: { server: "Erreur" } })).toEqual([
      '"errors.server" has placeholders {{status}} in en but none in fr',
    ]);
  });

  it("lets one plural form leave out {{count}}, not the whole group", () => {
    // English "one" says "this customer"; French "one" (0 and 1) says the number: both are fine.
    expect(compareLocales(en, fr)).toEqual([]);
    const noCount = { ...fr, loading: { one: "Vérification…", other: "Vérification des clients…" } };
    expect(compareLocales(en, noCount)).toEqual([
      '"loading" uses placeholders {{count}} in en but none in fr',
    ]);
  });

  it("reads the keys a source asks for, template literals and count options included", () => {
    const source = [
      'const a = t("heading");',
      'const b = t("selected", { count: ids.length });',
      "const c = i18n.translate(`states.${state}`);",
      'const d = t("tooMany", {\n  max: 5,\n});',
      'const e = setSubject("not a key");',
      'const f = t("summary", { willInvite: t("willInvite", { count: 2 }), skipped });',
    ].join("\n");
    expect(keysUsedIn(source, "x.tsx")).toEqual([
      { key: "heading", dynamic: false, withCount: false, options: [], at: "x.tsx:1" },
      { key: "selected", dynamic: false, withCount: true, options: ["count"], at: "x.tsx:2" },
      { key: "states.*", dynamic: true, withCount: false, options: [], at: "x.tsx:3" },
      { key: "tooMany", dynamic: false, withCount: false, options: ["max"], at: "x.tsx:4" },
      { key: "summary", dynamic: false, withCount: false, options: ["willInvite", "skipped"], at: "x.tsx:8" },
      { key: "willInvite", dynamic: false, withCount: true, options: ["count"], at: "x.tsx:8" },
    ]);
    expect(keysMatching({ states: { A: "a", B: "b" }, other: "x" }, "states.*")).toEqual([
      "states.A",
      "states.B",
    ]);
  });
});

describe.each(extensions)("$name locales", ({ name, en, fr, uses, toml }) => {
  it("fr.json has exactly the keys, plural forms and placeholders of en.default.json", () => {
    expect(compareLocales(en, fr)).toEqual([]);
  });

  it("has every key the source asks for (src/ and the shared/src/ modules it imports) in en.default.json", () => {
    const literal = uses.filter((use) => !use.dynamic);
    expect(literal.length).toBeGreaterThan(10);
    const missing = literal.filter((use) => {
      const node = lookup(en, use.key);
      return typeof node !== "string" && !isPluralGroup(node);
    });
    expect(missing.map((use) => `${use.key} (${use.at})`)).toEqual([]);
    const dynamicWithoutMatch = uses.filter((use) => use.dynamic && keysMatching(en, use.key).length === 0);
    expect(dynamicWithoutMatch.map((use) => `${use.key} (${use.at})`)).toEqual([]);
  });

  it("asks for a count exactly where the key has plural forms", () => {
    const wrong = uses
      .filter((use) => !use.dynamic)
      .filter((use) => isPluralGroup(lookup(en, use.key)) !== use.withCount)
      .map(
        (use) =>
          `${use.key} (${use.at}): ${use.withCount ? "count but no plural forms" : "plural forms but no count"}`,
      );
    expect(wrong).toEqual([]);
  });

  it("gives every plural key the forms English and French need (one, other)", () => {
    for (const tree of [en, fr]) {
      const groups = strings(tree)
        .map(([key]) => key.replace(/\.[^.]+$/, ""))
        .filter((key, index, all) => all.indexOf(key) === index && isPluralGroup(lookup(tree, key)));
      for (const key of groups)
        expect(Object.keys(lookup(tree, key) as object), key).toEqual(
          expect.arrayContaining(["one", "other"]),
        );
    }
  });

  it("has the keys picked at run time for every state and status of the API", () => {
    const needed = [
      ...CUSTOMER_STATES.map((state) => `states.${state}`),
      "states.unknown",
      ...(name === "send-account-invites"
        ? CAMPAIGN_STATUSES.map((status) => `progress.status.${status}`)
        : []),
      ...(name === "customer-invite-action"
        ? RECIPIENT_STATUSES.map((status) => `lastInvite.${status}`)
        : []),
      ...(name === "customer-invite-history"
        ? RECIPIENT_STATUSES.map((status) => `event.invite.${status}`)
        : []),
    ];
    for (const tree of [en, fr]) {
      expect(needed.filter((key) => typeof lookup(tree, key) !== "string")).toEqual([]);
    }
  });

  it("has the toml's t: name and description in both languages", () => {
    const keys = [...toml.matchAll(/^\s*\w+\s*=\s*"t:([\w.]+)"/gm)].map((match) => match[1]!);
    expect(keys).toEqual(["name", "description"]);
    for (const tree of [en, fr]) {
      for (const key of keys) expect(lookup(tree, key), key).toEqual(expect.stringMatching(/\S/));
    }
  });

  it("translates every French sentence (no empty string, no English left as is)", () => {
    const english = new Map(strings(en));
    const untranslated = strings(fr).filter(([key, text]) => {
      const words = text.replace(/\{\{\w+\}\}/g, "").replace(/Account Invites|Shopify|HTTP/g, "");
      return !text.trim() || (/[A-Za-z]{2}/.test(words) && english.get(key) === text);
    });
    expect(untranslated).toEqual([]);
  });

  it("passes every placeholder of a key where it asks for it", () => {
    const unfilled = uses
      .filter((use) => !use.dynamic)
      .flatMap((use) => {
        const node = lookup(en, use.key);
        const texts = typeof node === "string" ? [node] : isPluralGroup(node) ? Object.values(node) : [];
        return placeholdersOf(texts.join(" "))
          .filter((placeholder) => !use.options.includes(placeholder))
          .map((placeholder) => `${use.key} (${use.at}): {{${placeholder}}}`);
      });
    expect(unfilled).toEqual([]);
  });
});

describe("strings shared by every extension", () => {
  const [first, ...rest] = extensions;
  it.each(rest)(
    "$name has the same errors, reasons and states as send-account-invites in French",
    ({ fr }) => {
      expect(fr.errors).toEqual(first!.fr.errors);
      expect(fr.reasons).toEqual(first!.fr.reasons);
      expect(fr.states).toEqual(first!.fr.states);
    },
  );
});
