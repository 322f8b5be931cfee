import type { MailboxConnection } from "@/db/queries/mailbox-connections";
import { openSecret, sealSecret, type SecretKeys, secretKeys } from "@/lib/security/secret-box";

// The row a sealed value belongs to is part of what is authenticated: copied to another row, it does not open.
const contextOf = (connectionId: string) => `mailbox_connections:${connectionId}`;

/** Seals a connection's password or tokens for storage (`credentials`, `credentialsKeyId`). */
export function sealMailboxCredentials(connectionId: string, plaintext: string, keys: SecretKeys = secretKeys()): { credentials: string; credentialsKeyId: string } {
  const { sealed, keyId } = sealSecret(plaintext, contextOf(connectionId), keys);
  return { credentials: sealed, credentialsKeyId: keyId };
}

/** Opens a connection's stored credentials; throws SecretBoxError when they cannot be opened. */
export function openMailboxCredentials(connection: Pick<MailboxConnection, "id" | "credentials">, keys: SecretKeys = secretKeys()): string {
  if (!connection.credentials) throw new Error("the connection has no stored credentials");
  return openSecret(connection.credentials, contextOf(connection.id), keys);
}

/** True when the credentials were sealed with a key that is no longer the newest (a rotation is under way). */
export const needsReseal = (connection: Pick<MailboxConnection, "credentialsKeyId">, keys: SecretKeys = secretKeys()): boolean =>
  connection.credentialsKeyId !== null && connection.credentialsKeyId !== keys.keys[0]?.id;
