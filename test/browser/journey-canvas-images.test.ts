import sharp from "sharp";
import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, visit } from "./support/page-checks";
import { createEmailTemplate } from "./support/seed";
import { photo } from "@/test/support/images";

type Template = { id: string; version: number; body: string };

describe("journey canvas: images in an email step", () => {
  test("drop an image, see it optimised, insert it, and the preview shows it loaded", async ({ page, workspace, suite, problems }) => {
    const templateId = await createEmailTemplate(workspace.api, "Canvas with images");
    const journey = await workspace.api<{ id: string }>("POST", "/journeys", {
      name: "Image journey",
      draft: {
        trigger: { type: "event", eventName: "signup" },
        start: "welcome",
        nodes: [
          { id: "welcome", type: "send", channel: "email", templateId, next: "done" },
          { id: "done", type: "exit" },
        ],
      },
    });
    await visit(page, `/journeys/${journey.id}/edit`);
    await page.getByTestId("canvas-node-welcome").click();
    const images = page.getByRole("region", { name: "Images" });
    await expectVisible(images, page.getByRole("region", { name: "Message preview" }));
    await expectText(images, /No images yet/);

    // A camera-sized photo dropped onto the drop zone, as a person drags it from their files.
    const camera = await photo(2400, 1600);
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], "Shop front.jpg", { type: "image/jpeg" }));
      return transfer;
    }, camera.toString("base64"));
    await page.getByTestId("image-dropzone").dispatchEvent("drop", { dataTransfer });
    const list = images.getByRole("list", { name: "Template images" });
    await expectText(list, /Shop front\.jpg/);
    await expectText(list, /1200 × 800 · JPEG/);
    await expectText(images.getByRole("status"), /Shop front\.jpg uploaded: \d+(\.\d)? MB → \d+ KB/);

    // A logo with transparency chosen with the file picker (the keyboard's way in): it stays a PNG.
    const logo = await sharp({ create: { width: 400, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([{ input: { create: { width: 100, height: 100, channels: 4, background: "#ff6600" } }, left: 150, top: 0 }])
      .png()
      .toBuffer();
    await images.getByLabel("Choose an image").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: logo });
    await expectText(list, /400 × 100 · PNG/);

    // A file that is not an image is refused with the reason (the browser logs the route's 415).
    problems.allow(/status of 415/);
    await images.getByLabel("Choose an image").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not an image at all\n") });
    await expectText(images.getByRole("alert"), /not an image/);

    const { data } = await workspace.api<{ data: { id: string; fileName: string; url: string; bytes: number; original: { bytes: number } }[] }>("GET", "/assets");
    const shop = data.find((asset) => asset.fileName === "Shop front.jpg")!;
    expect(shop.original.bytes).toBe(camera.length);
    expect(shop.bytes).toBeLessThan(camera.length / 4);

    const row = page.getByTestId(`canvas-image-${shop.id}`);
    await row.getByLabel("Alt text for Shop front.jpg").fill("Our shop front in the morning");
    await row.getByRole("button", { name: "Insert Shop front.jpg into the template" }).click();
    await expectText(images.getByRole("status"), /is in the template/);
    await expectText(row, /In the template/);

    // The preview re-renders with the image, and the image really loads from the public URL.
    const frame = page.frameLocator('iframe[title="Email preview"]');
    const shown = frame.locator(`img[src="${shop.url}"]`);
    await expectVisible(shown);
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 }).toBe(1200);
    await expect(shown.getAttribute("alt")).resolves.toBe("Our shop front in the morning");
    await expect(shown.getAttribute("width")).resolves.toBe("600");

    const template = await workspace.api<Template>("GET", `/templates/${templateId}`);
    expect(template.version).toBe(2);
    expect(template.body).toContain(`<img src="${shop.url}" alt="Our shop front in the morning" width="600" style="max-width:100%;height:auto">`);
    expect(shop.url.startsWith(`${suite.baseUrl}/assets/${shop.id}/`)).toBe(true);

    // Served to anyone, without the dashboard's password, cached for a year.
    const served = await fetch(shop.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    // Opened again, the stored preview already has the image.
    await visit(page, `/journeys/${journey.id}/edit`);
    await page.getByTestId("canvas-node-welcome").click();
    await expectVisible(page.frameLocator('iframe[title="Email preview"]').locator(`img[src="${shop.url}"]`));
  });
});
