-- Leadkeeper schema, version 3: entries per status and received day, for the desk's positions.
-- * lead_log_day_counts: how many entries of each status arrived on each UTC day (received_at
--   divided by 86,400,000 ms), kept exact by triggers like lead_log_counts. From it the desk knows
--   at once at which row of the log, in received or status order, each day begins: a jump to any
--   row of a million-entry log reads from the start of its day instead of stepping through every
--   row before it. Rows whose n dropped to 0 may stay; readers skip them.
-- A trigger is written with END; alone on its last line (the migrator's statement splitter).

CREATE TABLE lead_log_day_counts (
    status          TEXT NOT NULL,
    day             INTEGER NOT NULL,
    n               INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (status, day)
) WITHOUT ROWID;

INSERT INTO lead_log_day_counts (status, day, n)
SELECT status, received_at / 86400000, COUNT(*) FROM lead_log GROUP BY status, received_at / 86400000;

CREATE TRIGGER lead_log_day_insert AFTER INSERT ON lead_log
BEGIN
    INSERT INTO lead_log_day_counts (status, day, n) VALUES (NEW.status, NEW.received_at / 86400000, 1)
    ON CONFLICT (status, day) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER lead_log_day_delete AFTER DELETE ON lead_log
BEGIN
    UPDATE lead_log_day_counts SET n = n - 1
    WHERE status = OLD.status AND day = OLD.received_at / 86400000;
END;

CREATE TRIGGER lead_log_day_move AFTER UPDATE OF status, received_at ON lead_log
WHEN OLD.status IS NOT NEW.status OR OLD.received_at / 86400000 IS NOT NEW.received_at / 86400000
BEGIN
    UPDATE lead_log_day_counts SET n = n - 1
    WHERE status = OLD.status AND day = OLD.received_at / 86400000;
    INSERT INTO lead_log_day_counts (status, day, n) VALUES (NEW.status, NEW.received_at / 86400000, 1)
    ON CONFLICT (status, day) DO UPDATE SET n = n + 1;
END;
