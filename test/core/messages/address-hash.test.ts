import { describe, expect, it } from "vitest";
import { addressHash, addressHashes, saltedAddressHash } from "@/core/messages/address-hash";

describe("address hashes", () => {
  it("salted: the same address in any case or spacing is one hash per salt, and another salt gives another hash", () => {
    const a = saltedAddressHash("email", " Ann@Example.com ", "salt-a");
    expect(saltedAddressHash("email", "ann@example.com", "salt-a")).toBe(a);
    expect(saltedAddressHash("email", "ann@example.com", "salt-b")).not.toBe(a);
    expect(a).toMatch(/^s1:[0-9a-f]{64}$/);
  });

  it("salted hashes never equal the plain SHA-256 of older suppressions, and lookups try both", () => {
    const [salted, plain] = addressHashes("sms", "+1 415 555 0101", "salt");
    expect(plain).toBe(addressHash("sms", "+14155550101"));
    expect(salted).not.toBe(plain);
    expect(salted).toBe(saltedAddressHash("sms", "+14155550101", "salt"));
  });
});
