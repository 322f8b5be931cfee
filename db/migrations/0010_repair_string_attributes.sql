-- Repairs contacts.attributes that imports through the embedded wire server (npm run dev) stored
-- as a jsonb *string* holding an object's JSON text, and the arrays later writes built on them
-- (in jsonb, `string || object` is an array: enrichment and upsert imports appended to it).
--   * a string holding a JSON object      → that object;
--   * an array whose elements are all objects or strings holding objects → one object, merged
--     in order, a later element winning on a shared key (as the `||` writes meant it to);
--   * anything else — real objects above all — is left as it is.
-- Text that does not parse is left alone rather than failing the migration. Only rows whose
-- attributes are not an object are parsed or written: one sequential scan, one write per broken
-- row, row locks on those rows only; a second run finds nothing to do.
CREATE FUNCTION pg_temp.sendline_json_object(value text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  parsed jsonb;
BEGIN
  parsed := value::jsonb;
  RETURN CASE WHEN jsonb_typeof(parsed) = 'object' THEN parsed END;
EXCEPTION WHEN data_exception THEN
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION pg_temp.sendline_repaired_attributes(value jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE jsonb_typeof(value)
    WHEN 'string' THEN pg_temp.sendline_json_object(value #>> '{}')
    WHEN 'array' THEN (
      WITH elements AS (
        SELECT e.n, CASE jsonb_typeof(e.value)
                      WHEN 'object' THEN e.value
                      WHEN 'string' THEN pg_temp.sendline_json_object(e.value #>> '{}')
                    END AS object
        FROM jsonb_array_elements(value) WITH ORDINALITY AS e(value, n)
      )
      SELECT CASE WHEN count(*) > 0 AND bool_and(object IS NOT NULL) THEN
               -- jsonb keeps the last value of a repeated key: elements are fed in array order.
               (SELECT coalesce(jsonb_object_agg(pair.key, pair.value ORDER BY el.n), '{}'::jsonb)
                FROM elements el CROSS JOIN LATERAL jsonb_each(el.object) AS pair)
             END
      FROM elements)
  END
$$;
--> statement-breakpoint
UPDATE contacts SET attributes = pg_temp.sendline_repaired_attributes(attributes)
WHERE jsonb_typeof(attributes) IN ('string', 'array')
  AND pg_temp.sendline_repaired_attributes(attributes) IS NOT NULL;
--> statement-breakpoint
DROP FUNCTION pg_temp.sendline_repaired_attributes(jsonb);
--> statement-breakpoint
DROP FUNCTION pg_temp.sendline_json_object(text);
