-- Leadkeeper schema, version 4: the lead forms Meta listed for a page at its last fetch.
-- * fetched_forms: what "Fetch forms from Meta" returned for each page config, kept so the Pages
--   dialog lists forms that are not mapped yet after a restart. A row here is NOT a mapped form:
--   only form_mappings counts for the pipeline (DESIGN.md §5 step 1), and nothing here is ever
--   copied there except by saving a mapping. A successful fetch replaces the page's rows whole.
--   questions holds the form's questions as [{"key","label","type"}] (FormMapping::questions'
--   shape); position keeps the order Meta listed the forms in. Removed with their page config
--   (the connection runs with foreign_keys=ON).

CREATE TABLE fetched_forms (
    id              INTEGER PRIMARY KEY,
    page_config_id  INTEGER NOT NULL REFERENCES page_configs(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    form_id         TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT '',
    questions       TEXT NOT NULL DEFAULT '[]',
    fetched_at      INTEGER NOT NULL,
    UNIQUE (page_config_id, form_id)
);
