import { describe, expect, it } from "vitest";
import { htmlTags } from "@/lib/tracking/html-tags";

const starts = (html: string) =>
  [...htmlTags(html)].filter((tag) => tag.kind === "start").map((tag) => [tag.name, Object.fromEntries(tag.attributes.map((a) => [a.name, a.raw]))]);

describe("htmlTags", () => {
  it("reads double-, single- and un-quoted values in any attribute order", () => {
    expect(starts(`<A class="x" HREF='https://a.example/?q="1"'>a</A><a href=https://b.example/ title="t">b</a><a title=t href = "https://c.example">c</a>`)).toEqual([
      ["a", { class: "x", href: 'https://a.example/?q="1"' }],
      ["a", { href: "https://b.example/", title: "t" }],
      ["a", { title: "t", href: "https://c.example" }],
    ]);
  });

  it("gives the exact source span of each value, quotes included", () => {
    const html = `<p><a id=1 href="https://a.example/">x</a></p>`;
    const href = [...htmlTags(html)].find((tag) => tag.name === "a")!.attributes.find((a) => a.name === "href")!;
    expect(html.slice(href.start, href.end)).toBe('"https://a.example/"');
  });

  it("keeps the first of duplicate attributes, as browsers do", () => {
    expect(starts(`<a href="https://first.example" href="https://second.example">x</a>`)).toEqual([["a", { href: "https://first.example" }]]);
  });

  it("handles '>' inside quoted values and valueless attributes", () => {
    expect(starts(`<a data-x="a>b" hidden href="https://a.example">x</a>`)).toEqual([["a", { "data-x": "a>b", hidden: "", href: "https://a.example" }]]);
  });

  it.each([
    ["comments", `<!-- <a href="https://c.example">x</a> --><a href="https://real.example">y</a>`],
    ["a doctype and conditional comments", `<!DOCTYPE html><!--[if mso]><a href="https://c.example">x</a><![endif]--><a href="https://real.example">y</a>`],
    ["script and style contents", `<style>a[href="https://c.example"]{}</style><script>document.write('<a href="https://c.example">')</script><a href="https://real.example">y</a>`],
    ["a title's text", `<title><a href="https://c.example"></title><a href="https://real.example">y</a>`],
  ])("skips links inside %s", (_case, html) => {
    expect(starts(html).filter(([name]) => name === "a")).toEqual([["a", { href: "https://real.example" }]]);
  });

  it("drops a tag cut off by the end of the input", () => {
    expect(starts(`<p>ok</p><a href="https://cut.example`)).toEqual([["p", {}]]);
  });

  it("treats a lone '<' as text", () => {
    expect(starts(`1 < 2 <b>bold</b>`)).toEqual([["b", {}]]);
  });
});
