-- Evidence keeps the Slack text it came from (`text`, never rewritten by a conversion) and, beside
-- it, the readable text every surface and export shows (`readable_text`: mentions as @Name,
-- channels as #name, links as "label (url)"). NULL means "not converted yet": rows written before
-- this migration, and imports that name people only Slack can resolve. The running app converts
-- them in small committed batches, so the job resumes where it stopped.
ALTER TABLE evidence ADD COLUMN readable_text text;
CREATE INDEX evidence_unconverted ON evidence (id) WHERE readable_text IS NULL;

-- "Save as evidence" remembers which message the open modal came from (and its Slack text), so
-- the entry records the message's channel and ts, and a message already saved is recognised.
ALTER TABLE pending_views ADD COLUMN message_channel text;
ALTER TABLE pending_views ADD COLUMN message_ts text;
ALTER TABLE pending_views ADD COLUMN message_text text;
