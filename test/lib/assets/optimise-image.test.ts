import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { EMAIL_IMAGE_MAX_INPUT_BYTES } from "@/core/assets/email-image-rules";
import { ImageRefusedError } from "@/lib/assets/image-refused-error";
import { optimiseImage } from "@/lib/assets/optimise-image";
import { photo, pixelBomb, solid } from "@/test/support/images";
import { rejectionOf } from "@/test/support/rejection";

describe("optimiseImage", () => {
  it("makes a 3000×2000 camera JPEG 1200 px wide, much smaller, progressive and without its EXIF", async () => {
    const input = await photo(3000, 2000);
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const image = await optimiseImage(input);
    expect(image).toMatchObject({ format: "jpeg", contentType: "image/jpeg", width: 1200, height: 800, original: { contentType: "image/jpeg", width: 3000, height: 2000, bytes: input.length } });
    expect(image.bytes.length).toBeLessThan(input.length / 4);
    const stored = await sharp(image.bytes).metadata();
    expect(stored).toMatchObject({ format: "jpeg", width: 1200, height: 800, isProgressive: true });
    expect(stored.exif).toBeUndefined();
    expect(stored.icc).toBeUndefined();
  });

  it("never enlarges a small image", async () => {
    const image = await optimiseImage(await photo(320, 200));
    expect(image).toMatchObject({ width: 320, height: 200, format: "jpeg" });
  });

  it("keeps a PNG with transparency a PNG (palette), with its alpha", async () => {
    const input = await sharp({ create: { width: 1600, height: 400, channels: 4, background: { r: 200, g: 30, b: 60, alpha: 0.4 } } }).png({ compressionLevel: 0 }).toBuffer();
    const image = await optimiseImage(input);
    expect(image).toMatchObject({ format: "png", contentType: "image/png", width: 1200, height: 300, original: { contentType: "image/png", width: 1600 } });
    const stored = await sharp(image.bytes).metadata();
    expect(stored).toMatchObject({ format: "png", hasAlpha: true, isPalette: true });
    expect(image.bytes.length).toBeLessThan(input.length);
  });

  it("stores an opaque PNG (an unused alpha channel included) as JPEG", async () => {
    const input = await sharp({ create: { width: 600, height: 300, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 1 } } }).png().toBuffer();
    const image = await optimiseImage(input);
    expect(image).toMatchObject({ format: "jpeg", width: 600, height: 300, original: { contentType: "image/png" } });
  });

  it("turns a photo upright by its EXIF orientation and drops the tag", async () => {
    // Stored 400×200, left half red, right half blue; orientation 6 means "turn 90° clockwise to show".
    const left = await sharp({ create: { width: 200, height: 200, channels: 3, background: "#ff0000" } }).png().toBuffer();
    const input = await sharp({ create: { width: 400, height: 200, channels: 3, background: "#0000ff" } })
      .composite([{ input: left, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await optimiseImage(input);
    expect(image).toMatchObject({ width: 200, height: 400, original: { width: 200, height: 400 } });
    const stored = sharp(image.bytes);
    expect((await stored.metadata()).orientation).toBeUndefined();
    // Turned clockwise, the left half is now on top.
    const { data } = await stored.raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3)];
    expect(at(100, 50)[0]).toBeGreaterThan(200);
    expect(at(100, 50)[2]).toBeLessThan(60);
    expect(at(100, 350)[2]).toBeGreaterThan(200);
  });

  it("keeps an animated GIF animated, resized to 1200 px wide", async () => {
    const frames = await Promise.all(["#ff0000", "#00ff00", "#0000ff"].map((colour) => solid(1600, 200, colour)));
    const input = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(input).metadata()).pages).toBe(3);
    const image = await optimiseImage(input);
    expect(image).toMatchObject({ format: "gif", contentType: "image/gif", width: 1200, height: 150, original: { contentType: "image/gif", width: 1600, height: 200 } });
    const stored = await sharp(image.bytes, { animated: true }).metadata();
    expect(stored).toMatchObject({ format: "gif", pages: 3, width: 1200, pageHeight: 150 });
  });

  it("takes WebP in and gives JPEG out (Outlook on Windows does not show WebP)", async () => {
    const input = await sharp(await photo(800, 600)).webp().toBuffer();
    await expect(optimiseImage(input)).resolves.toMatchObject({ format: "jpeg", original: { contentType: "image/webp" } });
  });

  it.each([
    ["an SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), /SVG .*scripts.*Gmail/],
    ["a text file", Buffer.from("name,email\nAda,ada@example.com\n"), /not an image/],
    ["a PDF", Buffer.from("%PDF-1.4\n%âãÏÓ\n"), /PDF/],
  ])("refuses %s as unsupported", async (_what, input, message) => {
    const error = await rejectionOf(optimiseImage(input), ImageRefusedError);
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(message);
  });

  it("refuses a decompression bomb from its header, before decoding it", async () => {
    const bomb = await pixelBomb(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200);
    const started = performance.now();
    const error = await rejectionOf(optimiseImage(bomb), ImageRefusedError);
    expect(error.kind).toBe("too-many-pixels");
    expect(error.message).toMatch(/900 megapixels; at most 50/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("refuses a damaged image as unreadable, and one over the size limit as too large", async () => {
    const cut = (await photo(400, 300)).subarray(0, 600);
    await expect(rejectionOf(optimiseImage(cut), ImageRefusedError)).resolves.toMatchObject({ kind: "unreadable" });
    const huge = Buffer.alloc(EMAIL_IMAGE_MAX_INPUT_BYTES + 1, 0xff);
    await expect(rejectionOf(optimiseImage(huge), ImageRefusedError)).resolves.toMatchObject({ kind: "too-large" });
  });
});
