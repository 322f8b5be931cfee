import { crc32 } from "node:zlib";
import sharp from "sharp";

/** A photo-like JPEG with camera EXIF: noise compresses about as badly as a real scene does. */
export const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } })
    .jpeg({ quality: 95 })
    .withMetadata({ exif: { IFD0: { Make: "Sendline Test Camera", Copyright: "secret owner" } } })
    .toBuffer();

/** A one-colour PNG. */
export const solid = (width: number, height: number, colour: string) => sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

/** A PNG whose header claims `width` × `height` over a 1×1 image's data: a decompression bomb's shape. */
export async function pixelBomb(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solid(1, 1, "#000000"));
  // IHDR is the first chunk: length (4) "IHDR" (4) at offset 8; width and height follow, then the CRC of type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
