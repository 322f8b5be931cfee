-- UUIDv7 (RFC 9562): a 48-bit Unix millisecond timestamp, then random bits. PostgreSQL 18 has
-- uuidv7() built in (pg_catalog comes first in the search path, so the built-in wins there);
-- for older servers and PGlite this is the same layout made from gen_random_uuid(): the first
-- six bytes replaced by the timestamp and the version nibble turned from 4 into 7 (bits 52, 53).
CREATE OR REPLACE FUNCTION uuidv7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
--> statement-breakpoint
ALTER TABLE "contacts" ALTER COLUMN "id" SET DEFAULT uuidv7();
