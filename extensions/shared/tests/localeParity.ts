// What extensions/shared/tests/locales.test.ts checks, as functions it can also prove wrong on purpose:
// two locale files with the same keys, plural branches and `{{placeholders}}`, and the keys the
// extensions' sources ask `translate` for.

export type LocaleTree = { [key: string]: string | LocaleTree };

const PLURAL_CATEGORIES = new Set(["zero", "one", "two", "few", "many", "other"]);

/** `{ one, other }` (any CLDR categories, `other` included, strings only): one key with plural forms. */
export function isPluralGroup(node: unknown): node is Record<string, string> {
  if (typeof node !== "object" || node === null) return false;
  const entries = Object.entries(node);
  return (
    entries.length > 0 &&
    "other" in node &&
    entries.every(([key, value]) => PLURAL_CATEGORIES.has(key) && typeof value === "string")
  );
}

export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]!))].sort();
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((value, i) => value === b[i]);
const show = (names: string[]) => (names.length ? names.map((name) => `{{${name}}}`).join(" ") : "none");

/**
 * Every difference between two locales that would show a merchant a key, a missing plural form or a
 * missing value: keys (plural branches included) present in one and not the other, a key that is a
 * string in one and a group in the other, and different placeholders. In a plural group `{{count}}`
 * may be left out of a branch (English "one" often says "this customer"; French "one" also covers 0)
 * as long as the group as a whole uses it in both languages.
 */
export function compareLocales(
  base: LocaleTree,
  other: LocaleTree,
  names: { base: string; other: string } = { base: "en", other: "fr" },
): string[] {
  const problems: string[] = [];
  const walk = (a: string | LocaleTree | undefined, b: string | LocaleTree | undefined, path: string) => {
    if (a === undefined) {
      problems.push(`"${path}" is in ${names.other} but not in ${names.base}`);
      return;
    }
    if (b === undefined) {
      problems.push(`"${path}" is in ${names.base} but not in ${names.other}`);
      return;
    }
    if (typeof a === "string" || typeof b === "string") {
      if (typeof a !== typeof b) {
        const kind = (node: string | LocaleTree) => (typeof node === "string" ? "a string" : "a group");
        problems.push(`"${path}" is ${kind(a)} in ${names.base} but ${kind(b)} in ${names.other}`);
        return;
      }
      const pa = placeholdersOf(a as string);
      const pb = placeholdersOf(b as string);
      if (!same(pa, pb))
        problems.push(
          `"${path}" has placeholders ${show(pa)} in ${names.base} but ${show(pb)} in ${names.other}`,
        );
      return;
    }
    if (isPluralGroup(a) && isPluralGroup(b)) {
      for (const category of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const key = `${path}.${category}`;
        if (!(category in a)) problems.push(`"${key}" is in ${names.other} but not in ${names.base}`);
        else if (!(category in b)) problems.push(`"${key}" is in ${names.base} but not in ${names.other}`);
        else {
          const pa = placeholdersOf(a[category]!).filter((name) => name !== "count");
          const pb = placeholdersOf(b[category]!).filter((name) => name !== "count");
          if (!same(pa, pb))
            problems.push(
              `"${key}" has placeholders ${show(pa)} in ${names.base} but ${show(pb)} in ${names.other}`,
            );
        }
      }
      const all = (group: Record<string, string>) => placeholdersOf(Object.values(group).join(" "));
      if (!same(all(a), all(b)))
        problems.push(
          `"${path}" uses placeholders ${show(all(a))} in ${names.base} but ${show(all(b))} in ${names.other}`,
        );
      return;
    }
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      walk(a[key], b[key], path ? `${path}.${key}` : key);
    }
  };
  walk(base, other, "");
  return problems;
}

/** The node at a dotted key, or undefined. */
export function lookup(tree: LocaleTree, key: string): string | LocaleTree | undefined {
  let node: string | LocaleTree | undefined = tree;
  for (const part of key.split(".")) node = typeof node === "object" ? node[part] : undefined;
  return node;
}

/** Every translatable key: strings and plural groups (not their branches), dotted. */
export function translatableKeys(tree: LocaleTree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, node]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof node === "string" || isPluralGroup(node)) return [path];
    return translatableKeys(node, path);
  });
}

/** Every string of a locale with its dotted key, plural branches included. */
export function strings(tree: LocaleTree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([key, node]): [string, string][] => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof node === "string" ? [[path, node]] : strings(node, path);
  });
}

export interface KeyUse {
  /** The key as written; `${…}` parts of a template literal become `*`. */
  key: string;
  dynamic: boolean;
  /** Called with a `count` option (so the key must have plural forms). */
  withCount: boolean;
  /** The names of the options passed (`{ max: 5, count }` → max, count). */
  options: string[];
  at: string;
}

/** Top-level property names of an object literal's body: `a: f(x, y), b` → a, b. */
function propertyNames(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of body) {
    if ("([{".includes(char)) depth++;
    if (")]}".includes(char)) depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => /^\s*(\w+)\s*(:|$)/.exec(part)?.[1]).filter((name): name is string => !!name);
}

/**
 * The keys a source file asks for: `t("…")`, `translate("…")`, `i18n.translate("…")` with a string or
 * template literal as first argument, and whether the options passed alongside include `count`.
 */
export function keysUsedIn(source: string, file: string): KeyUse[] {
  const uses: KeyUse[] = [];
  const call = /(?<![\w$.])(?:t|(?:i18n\.)?translate)\(\s*(?:"([^"]*)"|'([^']*)'|`([^`]*)`)\s*(,\s*\{)?/g;
  for (const match of source.matchAll(call)) {
    const template = match[3];
    const raw = match[1] ?? match[2] ?? template ?? "";
    const dynamic = template !== undefined && template.includes("${");
    const line = source.slice(0, match.index).split("\n").length;
    const body = match[4] ? objectBody(source, match.index + match[0].length) : null;
    const options = body === null ? [] : propertyNames(body);
    uses.push({
      key: dynamic ? raw.replace(/\$\{[^}]*\}/g, "*") : raw,
      dynamic,
      withCount: options.includes("count"),
      options,
      at: `${file}:${line}`,
    });
  }
  return uses;
}

/** The text of an object literal from just after its `{` to its matching `}` (nested calls included). */
function objectBody(source: string, from: number): string {
  let depth = 1;
  for (let index = from; index < source.length; index++) {
    const char = source[index]!;
    if ("([{".includes(char)) depth++;
    if (")]}".includes(char)) depth--;
    if (depth === 0) return source.slice(from, index);
  }
  return source.slice(from);
}

/** The translatable keys a `*` pattern (from a template literal) matches. */
export function keysMatching(tree: LocaleTree, pattern: string): string[] {
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegex).join("[^.]+")}$`);
  return translatableKeys(tree).filter((key) => regex.test(key));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
