import { describe, expect, it } from "vitest";
import {
  assetUrlName,
  displayWidth,
  EMAIL_IMAGE_MAX_WIDTH_PX,
  imageTypeRefusal,
  orientedSize,
  outputFormat,
  scaledHeight,
  sniffImageType,
  targetWidth,
} from "@/core/assets/email-image-rules";
import { assetIdsInBody, byteSize, emailImageTag, insertIntoBody } from "@/core/assets/email-image-tag";

const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((value) => (typeof value === "string" ? [...value].map((char) => char.charCodeAt(0)) : [value])));

describe("sniffImageType", () => {
  it.each([
    ["jpeg", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)],
    ["png", bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0)],
    ["gif", bytes("GIF89a", 1, 0)],
    ["gif", bytes("GIF87a", 1, 0)],
    ["webp", bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 ")],
    ["avif", bytes(0, 0, 0, 0x1c, "ftypavif")],
    ["heic", bytes(0, 0, 0, 0x18, "ftypheic")],
    ["tiff", bytes(0x49, 0x49, 0x2a, 0)],
    ["pdf", bytes("%PDF-1.7")],
    ["svg", bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>')],
    ["svg", bytes("\uFEFF  <svg viewBox='0 0 1 1'><script>alert(1)</script></svg>".replace("\uFEFF", ""))],
    ["unknown", bytes("hello, this is a text file\n")],
    ["unknown", bytes("<html><body>not an image</body></html>")],
    ["unknown", bytes()],
  ] as const)("reads %s from the first bytes", (type, input) => {
    expect(sniffImageType(input)).toBe(type);
  });
});

describe("imageTypeRefusal", () => {
  it.each(["jpeg", "png", "gif", "webp", "avif", "tiff"] as const)("takes %s", (type) => expect(imageTypeRefusal(type)).toBeNull());
  it.each([
    ["svg", /SVG .*scripts.*Gmail/],
    ["heic", /HEIC/],
    ["pdf", /not images/],
    ["bmp", /BMP/],
    ["unknown", /not an image/],
  ] as const)("refuses %s saying why", (type, message) => expect(imageTypeRefusal(type)).toMatch(message));
});

describe("sizes", () => {
  it.each([
    [3000, EMAIL_IMAGE_MAX_WIDTH_PX],
    [1200, 1200],
    [640, 640],
    [1, 1],
  ])("targetWidth(%i) = %i: never wider than 1200, never enlarged", (width, expected) => expect(targetWidth(width)).toBe(expected));

  it.each([
    [{ width: 3000, height: 2000 }, 1200, 800],
    [{ width: 5000, height: 1 }, 1200, 1],
  ])("scaledHeight keeps the aspect ratio", (size, width, height) => expect(scaledHeight(size, width)).toBe(height));

  it.each([
    [{ width: 400, height: 300, orientation: 6 }, { width: 300, height: 400 }],
    [{ width: 400, height: 300, orientation: 3 }, { width: 400, height: 300 }],
    [{ width: 400, height: 300 }, { width: 400, height: 300 }],
  ])("orientedSize turns quarter-turned photos", (size, expected) => expect(orientedSize(size)).toEqual(expected));

  it.each([
    [1200, 600],
    [800, 600],
    [320, 320],
  ])("an image %i px wide is shown %i px wide in the column", (pixels, shown) => expect(displayWidth(pixels)).toBe(shown));
});

describe("outputFormat", () => {
  it.each([
    [{ animated: true, transparent: true }, "gif"],
    [{ animated: true, transparent: false }, "gif"],
    [{ animated: false, transparent: true }, "png"],
    [{ animated: false, transparent: false }, "jpeg"],
  ] as const)("%o → %s", (image, format) => expect(outputFormat(image)).toBe(format));
});

describe("assetUrlName", () => {
  it.each([
    ["Hero Banner.PNG", "jpeg", "hero-banner.jpg"],
    ["Logo (final) ÉTÉ.png", "png", "logo-final-ete.png"],
    ["🎉.gif", "gif", "image.gif"],
    ["../../etc/passwd", "jpeg", "etc-passwd.jpg"],
    [`${"a".repeat(100)}.jpg`, "jpeg", `${"a".repeat(60)}.jpg`],
  ] as const)("%s stored as %s is served as %s", (name, format, expected) => expect(assetUrlName(name, format)).toBe(expected));
});

describe("the <img> tag", () => {
  it("shows a 2× image at the column's width and lets it shrink on a phone", () => {
    expect(emailImageTag({ src: "https://mail.example.com/assets/x/hero.jpg", alt: "Our new shop", pixelWidth: 1200 })).toBe(
      '<img src="https://mail.example.com/assets/x/hero.jpg" alt="Our new shop" width="600" style="max-width:100%;height:auto">',
    );
  });

  it("escapes the alt text for HTML and for Liquid", () => {
    const tag = emailImageTag({ src: "https://x/assets/a/b.png", alt: 'A "quote" <b> & {{ contact.email }} {% raw %}', pixelWidth: 300 });
    expect(tag).toContain('alt="A &quot;quote&quot; &lt;b&gt; &amp; &#123;&#123; contact.email &#125;&#125; &#123;% raw %&#125;"');
    expect(tag).toContain('width="300"');
  });

  it.each([
    ["<p>Hi</p>", "<p>Hi</p>\n<img>\n"],
    ["<p>Hi</p>\n\n", "<p>Hi</p>\n<img>\n"],
    ["<html><body><p>Hi</p>\n</body></html>", "<html><body><p>Hi</p>\n<img>\n</body></html>"],
    ["<HTML><BODY>x</BODY >", "<HTML><BODY>x\n<img>\n</BODY >"],
  ])("inserts at the end of the content of %j", (body, expected) => expect(insertIntoBody(body, "<img>")).toBe(expected));

  it("finds the assets a body shows, once each", () => {
    const a = "0b0c3f4e-8a1d-4c2e-9f6a-1234567890ab";
    const b = "AAAAAAAA-8A1D-4C2E-9F6A-1234567890AB";
    const body = `<img src="https://x/assets/${a}/a.jpg"><img src="https://x/assets/${b}/b.png"><img src="https://x/assets/${a}/a.jpg"><a href="/assets/nope/">`;
    expect(assetIdsInBody(body)).toEqual([a, b.toLowerCase()]);
  });

  it.each([
    [999, "999 B"],
    [143_210, "143 KB"],
    [1_834_000, "1.8 MB"],
  ])("byteSize(%i) = %s", (value, text) => expect(byteSize(value)).toBe(text));
});
