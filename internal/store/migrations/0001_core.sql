-- Lineage of every file handed over, accepted or not (issue: ingestion).
CREATE SEQUENCE IF NOT EXISTS ingest_run_seq START 1;
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id        BIGINT PRIMARY KEY DEFAULT nextval('ingest_run_seq'),
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    uploaded_by   VARCHAR NOT NULL,
    dataset       VARCHAR NOT NULL,
    coop_id       VARCHAR,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    size_bytes    BIGINT NOT NULL,
    format        VARCHAR,
    sheet         VARCHAR,
    rows_read     BIGINT NOT NULL DEFAULT 0,
    rows_loaded   BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    status        VARCHAR NOT NULL,
    duration_ms   BIGINT,
    error         VARCHAR,
    blob_key      VARCHAR
);
