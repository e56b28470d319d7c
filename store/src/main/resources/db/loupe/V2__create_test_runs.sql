-- Loupe trace store, schema version 2: test runs recorded by the JUnit extension.

-- One run of a test suite (one JUnit engine execution).
CREATE TABLE test_runs (
    id         VARCHAR(800)                NOT NULL PRIMARY KEY,
    start_time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    end_time   TIMESTAMP(6) WITH TIME ZONE,
    git_commit VARCHAR(100),
    git_branch VARCHAR(1000),
    passed     INTEGER                     NOT NULL DEFAULT 0,
    failed     INTEGER                     NOT NULL DEFAULT 0,
    skipped    INTEGER                     NOT NULL DEFAULT 0,
    aborted    INTEGER                     NOT NULL DEFAULT 0
);
CREATE INDEX test_runs_start_time_idx ON test_runs (start_time);

-- The outcome of one test (a method, one parameterized invocation, one dynamic test) and the traces it produced.
CREATE TABLE test_results (
    id              VARCHAR(800)                NOT NULL PRIMARY KEY,
    run_id          VARCHAR(800)                NOT NULL,
    unique_id       CHARACTER VARYING           NOT NULL,
    test_class      VARCHAR(1000),
    test_method     VARCHAR(1000),
    display_name    CHARACTER VARYING,
    parameters      CHARACTER VARYING,
    tags            JSON,
    status          VARCHAR(16)                 NOT NULL,
    start_time      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    duration_micros BIGINT,
    failure_message CHARACTER VARYING,
    trace_ids       JSON
);
CREATE INDEX test_results_run_idx ON test_results (run_id, status);
