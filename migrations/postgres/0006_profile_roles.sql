-- What the person chose when it was a role (Senior TPM, Lead TPM) rather than a position: the role
-- id from ladder-data. `level` and `target` keep the comparable position (TPM4, TPM5), which every
-- calculation uses; these columns let every surface name the role first ("Lead TPM, compared with
-- TPM5"). NULL when the person chose a position, and for every profile set before this migration.
ALTER TABLE profiles ADD COLUMN level_role text;
ALTER TABLE profiles ADD COLUMN target_role text;
