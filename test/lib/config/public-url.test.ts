import { describe, expect, it } from "vitest";
import { publicUrl } from "@/lib/config/public-url";

const env = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;

describe("publicUrl", () => {
  it.each([
    [{}, "http://localhost:3000"],
    [{ PORT: "3104" }, "http://localhost:3104"],
    [{ PORT: "3104", PUBLIC_URL: "https://mail.example.com" }, "https://mail.example.com"],
    [{ PUBLIC_URL: "https://mail.example.com" }, "https://mail.example.com"],
    [{ PUBLIC_URL: "https://mail.example.com/" }, "https://mail.example.com"],
    [{ PUBLIC_URL: " https://example.com/sendline/ " }, "https://example.com/sendline"],
  ])("%j → %s", (values, expected) => {
    expect(publicUrl(env(values))).toBe(expected);
  });

  it.each([
    ["not a url", /not a valid URL/],
    ["ftp://example.com", /must be an http\(s\) URL/],
    ["https://example.com/?x=1", /query string or fragment/],
  ])("rejects %j", (value, message) => {
    expect(() => publicUrl(env({ PUBLIC_URL: value }))).toThrow(message);
  });

  it("is required in production, where localhost links would reach nobody", () => {
    expect(() => publicUrl(env({ NODE_ENV: "production" }))).toThrow(/PUBLIC_URL is not set/);
  });
});
