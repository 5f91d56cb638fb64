import { describe, expect, it } from "vitest";
import { JsonListSplitter, MAX_ELEMENT_CHARS } from "../src/hostwinds/json-list.js";

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function rng(seed: number) {
  return () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

const NASTY = ['"', "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "é", "€", "😀", "\u0000", "\u2028", "a", "1"];

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 2 ? 4 : 7));
  switch (k) {
    case 0:
      return Array.from({ length: Math.floor(r() * 6) }, () => NASTY[Math.floor(r() * NASTY.length)]).join("");
    case 1:
      return (Math.floor(r() * 1e6) / 100) * (r() < 0.2 ? -1 : 1);
    case 2:
      return r() < 0.5;
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(r() * 5) }, (_, i) => [
          `${NASTY[Math.floor(r() * NASTY.length)]}k${i}`,
          randomValue(r, depth + 1),
        ]),
      );
  }
}

/** Feeds `text` in random pieces (1 to 40 characters) and returns the elements and the verdict. */
function split(text: string, r: () => number): { ok: boolean; elements: unknown[] } {
  const elements: unknown[] = [];
  const s = new JsonListSplitter((json) => elements.push(JSON.parse(json)));
  for (let i = 0; i < text.length;) {
    const n = 1 + Math.floor(r() * 40);
    s.push(text.slice(i, i + n));
    i += n;
  }
  return { ok: s.end(), elements };
}

const canonical = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

describe("JsonListSplitter", () => {
  it("yields exactly what JSON.parse sees, for every list shape, whatever the chunk boundaries (500 random documents)", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const items = Array.from({ length: Math.floor(r() * 8) }, () => randomValue(r, 0));
      const keyed = r() < 0.5;
      const list = keyed ? Object.fromEntries(items.map((v, i) => [String(i * 7 + 1), v])) : items;
      const doc = r() < 0.5 ? { success: list } : list;
      const text = JSON.stringify(doc, null, r() < 0.5 ? undefined : Math.floor(r() * 3));
      const got = split(text, r);
      expect(got.ok, `seed ${seed}: ${JSON.stringify(text)}`).toBe(true);
      const parsed = JSON.parse(text) as { success?: unknown };
      const container = (doc as { success?: unknown }).success !== undefined ? parsed.success : parsed;
      expect(canonical(got.elements), `seed ${seed}`).toEqual(canonical(Object.values(container as object)));
    }
  });

  it.each([
    ["a string", '"abc"'],
    ["a number", "42"],
    ["success that is no list", '{"success": "yes"}'],
    ["success beside another member", '{"success": [1], "more": 2}'],
    ["a truncated list", '[{"a": 1}, {"b": '],
    ["a truncated string", '["abc'],
    ["a missing comma", "[1 2]"],
    ["a trailing comma", "[1,]"],
    ["a missing colon", '{"a" 1}'],
    ["text after the list", "[1] x"],
    ["an unclosed wrapper", '{"success": [1]'],
    ["nothing", ""],
  ])("refuses %s", (_name, text) => {
    expect(split(text, rng(7)).ok).toBe(false);
  });

  it("gives up on an element longer than MAX_ELEMENT_CHARS (rescanning it at every chunk would be quadratic)", () => {
    const big = JSON.stringify([{ a: 1 }, { pad: "x".repeat(2 * MAX_ELEMENT_CHARS) }, { b: 2 }]);
    const small = JSON.stringify([{ a: 1 }, { pad: "x".repeat(MAX_ELEMENT_CHARS - 100) }, { b: 2 }]);
    const feed = (text: string) => {
      const elements: unknown[] = [];
      const s = new JsonListSplitter((json) => elements.push(JSON.parse(json)));
      for (let i = 0; i < text.length; i += 64 * 1024) s.push(text.slice(i, i + 64 * 1024));
      return { ok: s.end(), count: elements.length };
    };
    expect(feed(small)).toEqual({ ok: true, count: 3 });
    expect(feed(big).ok).toBe(false);
  });

  it("accepts empty lists in every shape", () => {
    for (const text of ["[]", "{}", '{"success": []}', ' { "success" : { } } '])
      expect(split(text, rng(3))).toEqual({ ok: true, elements: [] });
  });
});
