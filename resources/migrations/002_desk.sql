-- Leadkeeper schema, version 2: what the desk needs to browse a log of millions of leads.
-- * display_name / display_phone / display_email: the name, phone and e-mail the desk shows and
--   searches. Filled by the triggers below only (no application code writes them): from the Lead
--   when one exists for the leadgen id, else from the lead payload's field_data.
-- * lead_log_counts: entries per status, kept exact by triggers (the sidebar never counts rows).
-- * lead_log_fts: an external-content FTS5 index over leadgen id, name, phone, e-mail and error.
-- * indexes for the desk's sort orders and its selective filters, all ending in id (keyset paging).
-- A trigger is written with END; alone on its last line (the migrator's statement splitter).

ALTER TABLE lead_log ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE lead_log ADD COLUMN display_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE lead_log ADD COLUMN display_email TEXT NOT NULL DEFAULT '';

CREATE INDEX lead_log_by_created ON lead_log (IFNULL(created_at, 0), id);
CREATE INDEX lead_log_by_name ON lead_log (display_name, id);
CREATE INDEX lead_log_by_source ON lead_log (source, received_at, id);
CREATE INDEX lead_log_by_form ON lead_log (form_id, received_at, id);

CREATE TABLE lead_log_counts (
    status          TEXT PRIMARY KEY,
    n               INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO lead_log_counts (status, n) SELECT status, COUNT(*) FROM lead_log GROUP BY status;

-- Existing entries: names from their Leads, then from their payloads.
UPDATE lead_log SET
    display_name = IFNULL((SELECT CASE WHEN l.customer_name <> '' THEN l.customer_name
                                       ELSE TRIM(l.first_name || ' ' || l.last_name) END
                           FROM leads l WHERE l.leadgen_id = lead_log.leadgen_id), ''),
    display_phone = IFNULL((SELECT l.phone FROM leads l WHERE l.leadgen_id = lead_log.leadgen_id), ''),
    display_email = IFNULL((SELECT l.email FROM leads l WHERE l.leadgen_id = lead_log.leadgen_id), '')
WHERE EXISTS (SELECT 1 FROM leads l WHERE l.leadgen_id = lead_log.leadgen_id);

CREATE VIEW lead_payload_fields AS
SELECT lead_log.id AS lead_log_id,
       CASE WHEN f.type = 'object' THEN json_extract(f.value, '$.name') END AS name,
       CASE WHEN f.type = 'object' THEN json_extract(f.value, '$.values[0]') END AS value
FROM lead_log, json_each(lead_log.lead_payload, '$.field_data') AS f
WHERE lead_log.lead_payload IS NOT NULL AND json_valid(lead_log.lead_payload);

UPDATE lead_log SET
    display_name = IFNULL(
        (SELECT value FROM lead_payload_fields WHERE lead_log_id = lead_log.id AND name = 'full_name'),
        TRIM(IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = lead_log.id
                     AND name = 'first_name'), '') || ' ' ||
             IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = lead_log.id
                     AND name = 'last_name'), ''))),
    display_phone = IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = lead_log.id
                            AND name IN ('phone_number', 'phone')), ''),
    display_email = IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = lead_log.id
                            AND name = 'email'), '')
WHERE lead_payload IS NOT NULL AND json_valid(lead_payload)
  AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.leadgen_id = lead_log.leadgen_id);

CREATE VIRTUAL TABLE lead_log_fts USING fts5 (
    leadgen_id, display_name, display_phone, display_email, error_message,
    content = 'lead_log', content_rowid = 'id'
);

INSERT INTO lead_log_fts (lead_log_fts) VALUES ('rebuild');

-- A new entry: index it, count it, and name it when it arrived with its payload (imports).
CREATE TRIGGER lead_log_desk_insert AFTER INSERT ON lead_log
BEGIN
    INSERT INTO lead_log_fts (rowid, leadgen_id, display_name, display_phone, display_email,
                              error_message)
    VALUES (NEW.id, NEW.leadgen_id, NEW.display_name, NEW.display_phone, NEW.display_email,
            NEW.error_message);
    INSERT INTO lead_log_counts (status, n) VALUES (NEW.status, 1)
    ON CONFLICT (status) DO UPDATE SET n = n + 1;
    UPDATE lead_log SET
        display_name = IFNULL(
            (SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id AND name = 'full_name'),
            TRIM(IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                         AND name = 'first_name'), '') || ' ' ||
                 IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                         AND name = 'last_name'), ''))),
        display_phone = IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                                AND name IN ('phone_number', 'phone')), ''),
        display_email = IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                                AND name = 'email'), '')
    WHERE id = NEW.id AND NEW.lead_payload IS NOT NULL AND json_valid(NEW.lead_payload);
END;

CREATE TRIGGER lead_log_desk_delete AFTER DELETE ON lead_log
BEGIN
    INSERT INTO lead_log_fts (lead_log_fts, rowid, leadgen_id, display_name, display_phone,
                              display_email, error_message)
    VALUES ('delete', OLD.id, OLD.leadgen_id, OLD.display_name, OLD.display_phone,
            OLD.display_email, OLD.error_message);
    UPDATE lead_log_counts SET n = n - 1 WHERE status = OLD.status;
END;

CREATE TRIGGER lead_log_desk_status AFTER UPDATE OF status ON lead_log
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE lead_log_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO lead_log_counts (status, n) VALUES (NEW.status, 1)
    ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

-- Changed text: re-index it. A new payload first names an entry that has no Lead (yet), which is
-- how Error and Unconfigured leads get a name. One trigger does both, in this order, because two
-- triggers on the same UPDATE would each re-index with values the other already changed.
CREATE TRIGGER lead_log_desk_text AFTER UPDATE OF leadgen_id, display_name, display_phone,
    display_email, error_message, lead_payload ON lead_log
BEGIN
    UPDATE lead_log SET
        display_name = IFNULL(
            (SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id AND name = 'full_name'),
            TRIM(IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                         AND name = 'first_name'), '') || ' ' ||
                 IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                         AND name = 'last_name'), ''))),
        display_phone = IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                                AND name IN ('phone_number', 'phone')), ''),
        display_email = IFNULL((SELECT value FROM lead_payload_fields WHERE lead_log_id = NEW.id
                                AND name = 'email'), '')
    WHERE id = NEW.id AND NEW.lead_payload IS NOT NULL AND OLD.lead_payload IS NOT NEW.lead_payload
      AND json_valid(NEW.lead_payload)
      AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.leadgen_id = NEW.leadgen_id);
    INSERT INTO lead_log_fts (lead_log_fts, rowid, leadgen_id, display_name, display_phone,
                              display_email, error_message)
    SELECT 'delete', OLD.id, OLD.leadgen_id, OLD.display_name, OLD.display_phone,
           OLD.display_email, OLD.error_message
    FROM lead_log c WHERE c.id = NEW.id
      AND (c.leadgen_id IS NOT OLD.leadgen_id OR c.display_name IS NOT OLD.display_name
           OR c.display_phone IS NOT OLD.display_phone OR c.display_email IS NOT OLD.display_email
           OR c.error_message IS NOT OLD.error_message);
    INSERT INTO lead_log_fts (rowid, leadgen_id, display_name, display_phone, display_email,
                              error_message)
    SELECT c.id, c.leadgen_id, c.display_name, c.display_phone, c.display_email, c.error_message
    FROM lead_log c WHERE c.id = NEW.id
      AND (c.leadgen_id IS NOT OLD.leadgen_id OR c.display_name IS NOT OLD.display_name
           OR c.display_phone IS NOT OLD.display_phone OR c.display_email IS NOT OLD.display_email
           OR c.error_message IS NOT OLD.error_message);
END;

-- The Lead is what the lead became: its name, phone (E.164) and e-mail win over the payload's.
CREATE TRIGGER leads_desk_insert AFTER INSERT ON leads
BEGIN
    UPDATE lead_log SET
        display_name = CASE WHEN NEW.customer_name <> '' THEN NEW.customer_name
                            ELSE TRIM(NEW.first_name || ' ' || NEW.last_name) END,
        display_phone = NEW.phone, display_email = NEW.email
    WHERE leadgen_id = NEW.leadgen_id;
END;

CREATE TRIGGER leads_desk_update AFTER UPDATE ON leads
BEGIN
    UPDATE lead_log SET
        display_name = CASE WHEN NEW.customer_name <> '' THEN NEW.customer_name
                            ELSE TRIM(NEW.first_name || ' ' || NEW.last_name) END,
        display_phone = NEW.phone, display_email = NEW.email
    WHERE leadgen_id = NEW.leadgen_id;
END;
