-- Leadkeeper schema, version 1.
-- Times are INTEGER milliseconds since the Unix epoch, UTC. Meta ids are TEXT (exact digits).
-- Payloads are JSON text. Each statement ends with a semicolon at the end of a line.

CREATE TABLE page_configs (
    id              INTEGER PRIMARY KEY,
    page_id         TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL DEFAULT '',
    enabled         INTEGER NOT NULL DEFAULT 1,
    default_region  TEXT NOT NULL DEFAULT '',
    token_ref       TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE form_mappings (
    id              INTEGER PRIMARY KEY,
    page_config_id  INTEGER NOT NULL REFERENCES page_configs(id) ON DELETE CASCADE,
    form_id         TEXT NOT NULL,
    form_name       TEXT NOT NULL DEFAULT '',
    questions       TEXT NOT NULL DEFAULT '[]',
    enabled         INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL,
    UNIQUE (page_config_id, form_id)
);

CREATE TABLE mapping_rows (
    id              INTEGER PRIMARY KEY,
    form_mapping_id INTEGER NOT NULL REFERENCES form_mappings(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    question_key    TEXT NOT NULL,
    lead_field      TEXT NOT NULL,
    default_value   TEXT NOT NULL DEFAULT '',
    transform       TEXT NOT NULL DEFAULT '',
    mandatory       INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX mapping_rows_by_form ON mapping_rows (form_mapping_id, position);

CREATE TABLE leads (
    id              INTEGER PRIMARY KEY,
    leadgen_id      TEXT NOT NULL UNIQUE,
    customer_name   TEXT NOT NULL DEFAULT '',
    first_name      TEXT NOT NULL DEFAULT '',
    last_name       TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    standard_fields TEXT NOT NULL DEFAULT '{}',
    custom_fields   TEXT NOT NULL DEFAULT '{}',
    source          TEXT NOT NULL DEFAULT 'meta_ads',
    attribution     TEXT NOT NULL DEFAULT '{}',
    created_at      INTEGER,
    lifecycle_stage TEXT NOT NULL DEFAULT 'new',
    updated_at      INTEGER NOT NULL
);

CREATE TABLE lead_log (
    id              INTEGER PRIMARY KEY,
    leadgen_id      TEXT NOT NULL UNIQUE,
    page_id         TEXT NOT NULL DEFAULT '',
    form_id         TEXT NOT NULL DEFAULT '',
    ad_id           TEXT NOT NULL DEFAULT '',
    adgroup_id      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER,
    received_at     INTEGER NOT NULL,
    source          TEXT NOT NULL,
    platform        TEXT NOT NULL DEFAULT 'unknown',
    organic         INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'pending',
    error_message   TEXT NOT NULL DEFAULT '',
    field_errors    TEXT NOT NULL DEFAULT '[]',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    page_config_id  INTEGER REFERENCES page_configs(id) ON DELETE SET NULL,
    form_mapping_id INTEGER REFERENCES form_mappings(id) ON DELETE SET NULL,
    lead_id         INTEGER REFERENCES leads(id) ON DELETE SET NULL,
    raw_payload     TEXT NOT NULL,
    lead_payload    TEXT,
    corrections     TEXT NOT NULL DEFAULT '[]',
    deliveries      INTEGER NOT NULL DEFAULT 1,
    updated_at      INTEGER NOT NULL
);

CREATE INDEX lead_log_by_received ON lead_log (received_at, id);
CREATE INDEX lead_log_by_status ON lead_log (status, received_at, id);
CREATE INDEX lead_log_by_page ON lead_log (page_id, received_at, id);
CREATE INDEX lead_log_due ON lead_log (status, next_attempt_at);

CREATE TABLE lead_log_history (
    id              INTEGER PRIMARY KEY,
    lead_log_id     INTEGER NOT NULL REFERENCES lead_log(id) ON DELETE CASCADE,
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    from_status     TEXT,
    to_status       TEXT NOT NULL,
    message         TEXT NOT NULL DEFAULT ''
);

CREATE INDEX lead_log_history_by_entry ON lead_log_history (lead_log_id, at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    lead_id         INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);

CREATE TABLE rejected_deliveries (
    id              INTEGER PRIMARY KEY,
    received_at     INTEGER NOT NULL,
    remote_address  TEXT NOT NULL DEFAULT '',
    method          TEXT NOT NULL DEFAULT '',
    path            TEXT NOT NULL DEFAULT '',
    http_status     INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    body_size       INTEGER NOT NULL DEFAULT 0,
    body_excerpt    TEXT NOT NULL DEFAULT ''
);
