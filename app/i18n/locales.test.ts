import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { i18nextOptions } from "~/i18n/i18nextOptions";
import en from "~/locales/en.json";
import fr from "~/locales/fr.json";

// The two locale files hold the same keys with the same placeholders, plural keys carry the branches
// their language's plural rules select (French adds `_many`), and every key a page asks `t()` for exists.

type LocaleTree = { [key: string]: string | LocaleTree };

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every string of a locale under its dotted key (plural branches as i18next names them: `key_one`). */
function flatten(tree: LocaleTree, prefix = ""): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, node] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof node === "string") entries.set(path, node);
    else for (const [inner, text] of flatten(node, path)) entries.set(inner, text);
  }
  return entries;
}

/** Keys with their texts: a plain key has one text, a plural key one per category. */
function translations(tree: LocaleTree): Map<string, { plural: boolean; texts: Map<string, string> }> {
  const flat = flatten(tree);
  const keys = new Map<string, { plural: boolean; texts: Map<string, string> }>();
  for (const [path, text] of flat) {
    const category = PLURAL_SUFFIX.exec(path)?.[1];
    const base = category ? path.slice(0, -category.length - 1) : path;
    // A suffix is a plural branch only when the key has an `_other` branch (i18next needs one).
    const plural = Boolean(category) && flat.has(`${base}_other`);
    const key = plural ? base : path;
    const entry = keys.get(key) ?? { plural, texts: new Map<string, string>() };
    entry.texts.set(plural && category ? category : "", text);
    keys.set(key, entry);
  }
  return keys;
}

/** `{{name}}` and `{{name, number}}` both name `name`. */
function placeholdersOf(text: string): string[] {
  return [
    ...new Set([...text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((match) => match[1] ?? "")),
  ].sort();
}

const show = (names: string[]) => (names.length ? names.map((name) => `{{${name}}}`).join(" ") : "none");

/**
 * Every difference between two locales that would show a merchant a key, a fallback to the other
 * language, or a missing value: keys in one and not the other, a key plural in one only, a plural
 * branch the language's rules select but the file lacks (or has but never selects), and different
 * placeholders. A plural branch may leave `{{count}}` out (English "one": "the first customer") as
 * long as the key as a whole uses the same placeholders in both languages.
 */
export function compareLocales(
  base: { language: string; tree: LocaleTree },
  other: { language: string; tree: LocaleTree },
): string[] {
  const problems: string[] = [];
  const a = translations(base.tree);
  const b = translations(other.tree);
  for (const [side, language] of [
    [a, base.language],
    [b, other.language],
  ] as const) {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    for (const [key, { plural, texts }] of side) {
      if (!plural) continue;
      for (const category of categories)
        if (!texts.has(category)) problems.push(`"${key}_${category}" is missing in ${language}`);
      for (const category of texts.keys())
        if (!(categories as string[]).includes(category))
          problems.push(`"${key}_${category}" is in ${language}, whose plural rules never select it`);
    }
  }
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const inA = a.get(key);
    const inB = b.get(key);
    if (!inA || !inB) {
      const [has, lacks] = inA ? [base.language, other.language] : [other.language, base.language];
      problems.push(`"${key}" is in ${has} but not in ${lacks}`);
      continue;
    }
    if (inA.plural !== inB.plural) {
      const [plural, plain] = inA.plural ? [base.language, other.language] : [other.language, base.language];
      problems.push(`"${key}" has plural forms in ${plural} but not in ${plain}`);
      continue;
    }
    const pa = placeholdersOf([...inA.texts.values()].join(" "));
    const pb = placeholdersOf([...inB.texts.values()].join(" "));
    if (pa.join() !== pb.join())
      problems.push(
        `"${key}" has placeholders ${show(pa)} in ${base.language} but ${show(pb)} in ${other.language}`,
      );
  }
  return problems;
}

/** Keys the sources ask `t()` for: literals, and template literals as patterns (`${…}` is any text). */
function keysUsedIn(source: string): { key: string; pattern: RegExp | null }[] {
  return [...source.matchAll(/\bt\(\s*(["'`])((?:(?!\1)[^\\])*)\1/g)].map(([, quote, key = ""]) => {
    if (quote !== "`" || !key.includes("${")) return { key, pattern: null };
    const parts = key.split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    return { key, pattern: new RegExp(`^${parts.join(".+")}$`) };
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("the app's locale files", () => {
  it("hold the same keys, plural forms and placeholders in English and French", () => {
    expect(
      compareLocales({ language: "en", tree: en as LocaleTree }, { language: "fr", tree: fr as LocaleTree }),
    ).toEqual([]);
  });

  it("have every key the pages ask t() for", () => {
    const keys = translations(en as LocaleTree);
    const exists = (key: string) => keys.has(key);
    const missing = sourceFiles("app").flatMap((file) =>
      keysUsedIn(readFileSync(file, "utf8"))
        .filter(({ key, pattern }) =>
          pattern ? ![...keys.keys()].some((k) => pattern.test(k)) : !exists(key),
        )
        .map(({ key }) => `${file}: t("${key}")`),
    );
    expect(missing).toEqual([]);
  });

  it("reads literal and template keys from t() calls", () => {
    const used = keysUsedIn('t("campaign.pause"); t(`customerStates.${state}`, { x }); split("a")');
    expect(used.map(({ key }) => key)).toEqual(["campaign.pause", "customerStates.${state}"]);
    expect(used[1]?.pattern?.test("customerStates.ENABLED")).toBe(true);
    expect(used[1]?.pattern?.test("campaignStatus.running")).toBe(false);
  });

  it("finds the keys the pages use (the scan is not silently empty)", () => {
    const used = sourceFiles("app").flatMap((file) => keysUsedIn(readFileSync(file, "utf8")));
    expect(used.length).toBeGreaterThan(150);
    expect(used.map(({ key }) => key)).toContain("campaign.failureLine");
    expect(used.map(({ key }) => key)).toContain("customerStates.${state}");
  });
});

describe("compareLocales", () => {
  // GIVEN two small locales that agree: French plural keys carry "many" as well (CLDR's rules for fr)
  const enTree: LocaleTree = {
    campaign: { pause: "Pause", expires: "Expires {{date}}" },
    customers_one: "the first customer",
    customers_other: "{{count, number}} customers",
  };
  const frTree: LocaleTree = {
    campaign: { pause: "Mettre en pause", expires: "Expire le {{date}}" },
    customers_one: "{{count, number}} client",
    customers_many: "{{count, number}} clients",
    customers_other: "{{count, number}} clients",
  };
  const compare = (enSide: LocaleTree, frSide: LocaleTree) =>
    compareLocales({ language: "en", tree: enSide }, { language: "fr", tree: frSide });
  const omit = (tree: LocaleTree, key: string): LocaleTree =>
    Object.fromEntries(Object.entries(tree).filter(([name]) => name !== key));

  it("accepts locales that agree, a plural branch without {{count}} included", () => {
    expect(compare(enTree, frTree)).toEqual([]);
  });

  it("reports a key missing in French, and one missing in English", () => {
    expect(compare(enTree, { ...frTree, campaign: { expires: "Expire le {{date}}" } })).toEqual([
      '"campaign.pause" is in en but not in fr',
    ]);
    expect(compare({ ...enTree, campaign: { pause: "Pause" } }, frTree)).toEqual([
      '"campaign.expires" is in fr but not in en',
    ]);
  });

  it("reports a plural branch the language needs and the file lacks", () => {
    expect(compare(enTree, omit(frTree, "customers_many"))).toEqual(['"customers_many" is missing in fr']);
    expect(compare(omit(enTree, "customers_one"), frTree)).toEqual(['"customers_one" is missing in en']);
  });

  it("reports a plural branch the language never selects, and a key plural in one language only", () => {
    expect(compare({ ...enTree, customers_many: "{{count}} customers" }, frTree)).toEqual([
      '"customers_many" is in en, whose plural rules never select it',
    ]);
    const plain = { campaign: frTree.campaign ?? {}, customers: "{{count}} clients" };
    expect(compare(enTree, plain)).toEqual(['"customers" has plural forms in en but not in fr']);
  });

  it("reports different placeholders", () => {
    expect(
      compare(enTree, { ...frTree, campaign: { pause: "Pause", expires: "Expire le {{jour}}" } }),
    ).toEqual(['"campaign.expires" has placeholders {{date}} in en but {{jour}} in fr']);
    expect(compare(enTree, { ...frTree, customers_other: "clients" })).toEqual([]);
    expect(
      compare(enTree, {
        ...frTree,
        customers_one: "client",
        customers_many: "clients",
        customers_other: "clients",
      }),
    ).toEqual(['"customers" has placeholders {{count}} in en but none in fr']);
  });
});

describe("French plurals", () => {
  const t = i18next.createInstance();
  void t.init({ ...i18nextOptions, lng: "fr" });

  it("use the singular for 0 and 1, and the plural from 2, with French number formatting", () => {
    expect(t.t("common.customers", { count: 0 })).toBe("0 client");
    expect(t.t("common.customers", { count: 1 })).toBe("1 client");
    expect(t.t("common.customers", { count: 2 })).toBe("2 clients");
    // A million is CLDR's "many" in French: without `_many` i18next would fall back to English.
    expect(t.t("common.customers", { count: 1_000_000 })).toBe("1\u202f000\u202f000 clients");
  });
});
