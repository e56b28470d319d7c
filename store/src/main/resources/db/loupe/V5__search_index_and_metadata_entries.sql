-- Loupe trace store, schema version 5: full-text search and metadata filters that read an index, not every row.
--
-- The writer keeps both tables in step with the rows it stores, in the same transaction, from the merged rows it
-- writes: what a written row has is added; when an update takes something away, the trace's entries are worked out
-- again from all its stored rows. Rows stored by an older Loupe are indexed once when the store is upgraded
-- (migration 5.1, run by the store itself: words are cut by Java code, which SQL cannot call).

-- The words of each trace: of its own fields and of all its observations, one row per distinct word. A row per
-- trace, not per observation, and one index, keep the rows few and cheap to write: the observations that hold a
-- word are found among the few traces a search lists, by reading them. The index lists the traces that hold a word
-- newest first, so that the first page of a search stops reading when it is full; with the trace's start and id, it
-- also answers "does this trace hold this word".
CREATE TABLE search_words (
    word        VARCHAR(64)                 NOT NULL,
    trace_start TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    trace_id    VARCHAR(800)                NOT NULL
);
CREATE INDEX search_words_idx ON search_words (word, trace_start DESC, trace_id DESC);

-- The metadata of traces (observation_id is '') and observations, flattened: one row per key path, holding the
-- scalar at that path as text (null for an object, an array or a JSON null). The elements of an array share the
-- array's path. A path is its keys joined by the separator U&'\001F'.
CREATE TABLE metadata_entries (
    trace_id       VARCHAR(800)  NOT NULL,
    observation_id VARCHAR(800)  NOT NULL,
    path           VARCHAR(2000) NOT NULL,
    val            VARCHAR(1000)
);
CREATE INDEX metadata_entries_document_idx ON metadata_entries (trace_id, observation_id, path);
CREATE INDEX metadata_entries_path_idx ON metadata_entries (path, val, trace_id, observation_id);
