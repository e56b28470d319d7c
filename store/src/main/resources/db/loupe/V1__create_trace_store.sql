-- Loupe trace store, schema version 1.
-- This file is the schema: Flyway applies it when a store is opened, and jOOQ generates its classes
-- from it at build time. Never edit a released migration; add V2__... instead.

-- One agent execution. Aggregate columns (counts, tokens, cost, end time) are recomputed by the writer
-- from the trace's observations, so listing, filtering and sorting never scan observations.
CREATE TABLE traces (
    id                VARCHAR(800)                NOT NULL PRIMARY KEY,
    name              VARCHAR(1000),
    start_time        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    end_time          TIMESTAMP(6) WITH TIME ZONE,
    latency_micros    BIGINT,
    input             JSON,
    output            JSON,
    user_id           VARCHAR(800),
    session_id        VARCHAR(800),
    metadata          JSON,
    release           VARCHAR(1000),
    version           VARCHAR(1000),
    environment       VARCHAR(1000),
    observation_count INTEGER                     NOT NULL DEFAULT 0,
    error_count       INTEGER                     NOT NULL DEFAULT 0,
    input_tokens      BIGINT                      NOT NULL DEFAULT 0,
    output_tokens     BIGINT                      NOT NULL DEFAULT 0,
    total_tokens      BIGINT                      NOT NULL DEFAULT 0,
    total_cost        DECIMAL(24, 12),
    updated_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX traces_start_time_idx ON traces (start_time);
CREATE INDEX traces_name_idx ON traces (name, start_time);
CREATE INDEX traces_user_idx ON traces (user_id, start_time);
CREATE INDEX traces_session_idx ON traces (session_id, start_time);
CREATE INDEX traces_latency_idx ON traces (latency_micros);

-- Tags are a set per trace; a table of their own lets a tag filter use an index.
CREATE TABLE trace_tags (
    trace_id VARCHAR(800)  NOT NULL,
    tag      VARCHAR(1000) NOT NULL,
    PRIMARY KEY (trace_id, tag)
);
CREATE INDEX trace_tags_tag_idx ON trace_tags (tag, trace_id);

-- Spans, generations, tool calls, events and the other observation types of a trace.
CREATE TABLE observations (
    id                    VARCHAR(800)                NOT NULL PRIMARY KEY,
    trace_id              VARCHAR(800)                NOT NULL,
    parent_observation_id VARCHAR(800),
    type                  VARCHAR(32)                 NOT NULL,
    name                  VARCHAR(1000),
    start_time            TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    end_time              TIMESTAMP(6) WITH TIME ZONE,
    completion_start_time TIMESTAMP(6) WITH TIME ZONE,
    input                 JSON,
    output                JSON,
    metadata              JSON,
    level                 VARCHAR(16)                 NOT NULL,
    status_message        CHARACTER VARYING,
    version               VARCHAR(1000),
    model                 VARCHAR(1000),
    model_parameters      JSON,
    usage_details         JSON,
    cost_details          JSON,
    input_tokens          BIGINT,
    output_tokens         BIGINT,
    total_tokens          BIGINT,
    total_cost            DECIMAL(24, 12),
    prompt_name           VARCHAR(1000),
    prompt_version        INTEGER
);
CREATE INDEX observations_trace_idx ON observations (trace_id, start_time);
CREATE INDEX observations_start_time_idx ON observations (start_time);
CREATE INDEX observations_name_idx ON observations (name, start_time);

-- Judgements of a trace, an observation or a session: numeric, boolean (1/0 plus 'true'/'false') or categorical.
CREATE TABLE scores (
    id             VARCHAR(800)                NOT NULL PRIMARY KEY,
    trace_id       VARCHAR(800),
    observation_id VARCHAR(800),
    session_id     VARCHAR(800),
    name           VARCHAR(1000)               NOT NULL,
    data_type      VARCHAR(16)                 NOT NULL,
    numeric_value  DOUBLE PRECISION,
    string_value   VARCHAR(1000),
    comment        CHARACTER VARYING,
    source         VARCHAR(32)                 NOT NULL,
    created_at     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    metadata       JSON
);
CREATE INDEX scores_trace_idx ON scores (trace_id);
CREATE INDEX scores_observation_idx ON scores (observation_id);
CREATE INDEX scores_session_idx ON scores (session_id);
CREATE INDEX scores_name_idx ON scores (name, numeric_value);
