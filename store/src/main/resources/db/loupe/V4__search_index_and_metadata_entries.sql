-- Loupe trace store, schema version 4: full-text search and metadata filters that read an index, not every row.
--
-- The writer keeps both tables in step with the rows it stores, in the same transaction: it indexes the merged row
-- it writes, and on an update removes what the stored row had and the merged one no longer has. Rows stored by an
-- older Loupe are indexed once when the store is upgraded (migration 4.1, run by the store itself: words are cut
-- by Java code, which SQL cannot call).

-- The words of each searchable document: a trace's own fields (observation_id is '') or one observation's. One row
-- per distinct word of a document. The primary key answers "which documents of this trace have this word" (find in
-- a trace, the other words of a query, deleting a document's words); the word index lists the documents that have
-- a word newest trace first, so that the first page of a search stops reading when it is full.
CREATE TABLE search_words (
    trace_id       VARCHAR(800)                NOT NULL,
    word           VARCHAR(64)                 NOT NULL,
    observation_id VARCHAR(800)                NOT NULL,
    trace_start    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (trace_id, word, observation_id)
);
CREATE INDEX search_words_word_idx ON search_words (word, trace_start DESC, trace_id DESC, observation_id);

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
