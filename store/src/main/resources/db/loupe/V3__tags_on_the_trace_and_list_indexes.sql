-- Loupe trace store, schema version 3: faster trace lists.
--
-- Tags move onto the trace row as one text of the sorted tags, each enclosed in the separator U&'\001F' (the
-- control character "unit separator", which no sensible tag contains): a tag filter is then a check of the row
-- itself, not a subquery per candidate row.
ALTER TABLE traces ADD COLUMN tags CHARACTER VARYING;
-- The backfill is data, not schema: jOOQ's code generator skips it.
/* [jooq ignore start] */
UPDATE traces SET tags = (
    SELECT U&'\001F' || LISTAGG(trace_tags.tag, U&'\001F') WITHIN GROUP (ORDER BY trace_tags.tag) || U&'\001F'
    FROM trace_tags WHERE trace_tags.trace_id = traces.id);
/* [jooq ignore stop] */
DROP TABLE trace_tags;

-- Indexes in the order lists are read, newest first, so that the first page of a list filtered by name, user or
-- session is read from the index until it is full, instead of sorting every match.
DROP INDEX traces_start_time_idx;
DROP INDEX traces_name_idx;
DROP INDEX traces_user_idx;
DROP INDEX traces_session_idx;
CREATE INDEX traces_start_time_idx ON traces (start_time DESC, id DESC);
CREATE INDEX traces_name_idx ON traces (name, start_time DESC, id DESC);
CREATE INDEX traces_user_idx ON traces (user_id, start_time DESC, id DESC);
CREATE INDEX traces_session_idx ON traces (session_id, start_time DESC, id DESC);
