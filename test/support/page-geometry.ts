import type { Page } from "playwright-core";

/** What a reader sees of a page's layout: sideways overflow, and the smallest text as rendered. */
export interface PageGeometry {
  viewport: number;
  scrollWidth: number;
  /** Elements whose right edge passes their card's (a table cut or scrolling inside its box). */
  overflowing: string[];
  /** The smallest rendered font size of any visible text, SVG text scaled as drawn. */
  minFontPx: number;
  smallest: string;
}

/**
 * Measures the page in the browser. Text in an SVG is drawn at its computed size times the drawing's scale
 * (its width on screen over its viewBox width), which the computed style alone does not show.
 */
export function measure(page: Page): Promise<PageGeometry> {
  return page.evaluate(() => {
    const overflowing: string[] = [];
    for (const card of Array.from(document.querySelectorAll(".card"))) {
      const right = card.getBoundingClientRect().right;
      for (const el of Array.from(card.querySelectorAll("*"))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > right + 0.5) overflowing.push(`${el.tagName}.${String(el.getAttribute("class"))}`);
      }
    }
    let minFontPx = Infinity;
    let smallest = "";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || (n.textContent ?? "").trim() === "" || el.closest("title")) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
      let size = parseFloat(style.fontSize);
      const svg = el.closest("svg");
      if (svg && svg.viewBox.baseVal.width > 0) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      if (size < minFontPx) {
        minFontPx = size;
        smallest = `${(n.textContent ?? "").trim().slice(0, 40)} (${el.tagName})`;
      }
    }
    return {
      viewport: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      overflowing,
      minFontPx,
      smallest,
    };
  });
}
