-- Loupe trace store, schema version 4: whether an observation's start time was given or only stood in for.
--
-- An update may arrive before the record that creates its observation (Langfuse's JS SDK sends span-update before
-- span-create in one batch, and batches may arrive in any order). The row still needs a start time, so it takes the
-- end time or the time of writing; this column says so, and the start time given later replaces it.
ALTER TABLE observations ADD COLUMN start_time_known BOOLEAN DEFAULT TRUE NOT NULL;
