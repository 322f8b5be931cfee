import { describe, expect, it } from "vitest";
import { countSegments } from "@/lib/providers/sms/count-segments";

const a = (n: number) => "a".repeat(n);

describe("countSegments", () => {
  it.each([
    ["an empty body", "", "GSM-7", 0, 0],
    ["plain ASCII", "Your code is 123456", "GSM-7", 19, 1],
    ["GSM accents (é, ü, Ç, à are in the basic table)", "Café über Ça à", "GSM-7", 14, 1],
    ["160 GSM characters: one single message", a(160), "GSM-7", 160, 1],
    ["161 GSM characters: two 153-septet parts", a(161), "GSM-7", 161, 2],
    ["306 GSM characters: exactly two parts", a(306), "GSM-7", 306, 2],
    ["307 GSM characters: three parts", a(307), "GSM-7", 307, 3],
    ["extension characters count two septets", "{price} is 5€ [sic] ~ok|^\\", "GSM-7", 35, 1],
    ["80 euro signs fill one message (160 septets)", "€".repeat(80), "GSM-7", 160, 1],
    ["81 euro signs need two parts", "€".repeat(81), "GSM-7", 162, 2],
    ["an escape pair never straddles two parts", a(152) + "€" + a(152), "GSM-7", 306, 3],
    ["one non-GSM character switches the whole body to UCS-2", "ça va", "UCS-2", 5, 1],
    ["70 UCS-2 units: one message", "ł" + a(69), "UCS-2", 70, 1],
    ["71 UCS-2 units: two 67-unit parts", "ł" + a(70), "UCS-2", 71, 2],
    ["134 UCS-2 units: exactly two parts", "ł" + a(133), "UCS-2", 134, 2],
    ["135 UCS-2 units: three parts", "ł" + a(134), "UCS-2", 135, 3],
    ["an emoji is two UTF-16 units", "👍", "UCS-2", 2, 1],
    ["a surrogate pair never straddles two parts", a(66) + "😀" + a(66), "UCS-2", 134, 3],
    ["Cyrillic is UCS-2", "Привет, мир", "UCS-2", 11, 1],
  ] as const)("%s", (_name, body, encoding, units, segments) => {
    expect(countSegments(body)).toEqual({ encoding, units, segments });
  });
});
