-- The scheduler reads only who is due: each opted-in person's next due instant (the earliest
-- instant at which the minute tick may have a decision to make for them, a send or a skip), NULL
-- while nudges are off. The tick selects `next_due_at <= now` in this index's order, a bounded
-- batch at a time, and writes the next one after deciding. Existing rows start at the instant
-- their schedule took effect: a conservative early instant, so the first ticks recompute them
-- and no due nudge is lost.
ALTER TABLE nudge_settings ADD COLUMN next_due_at timestamptz;
UPDATE nudge_settings SET next_due_at = effective_from WHERE enabled = 1;
CREATE INDEX nudge_settings_next_due ON nudge_settings (next_due_at, team_id, user_id);

-- The tick's read of the open rows it may take over (failed, claims whose lease ran out, and rows
-- left in 'sending'), one state at a time inside the late window, oldest slot first.
-- It replaces the partial index on the open states, which the old tick never read through (it read
-- the weeks' rows whole, and SQLite cannot prove a partial index's predicate from a bound
-- parameter): one index less to write per claimed row.
CREATE INDEX nudge_ledger_by_state ON nudge_ledger (kind, state, slot_at, team_id, user_id);
DROP INDEX nudge_ledger_open;
