package dev.loupe.store.internal;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 5.1, kept in the history with its version and description: it indexed the rows a store held before
 * version 5 into version 5's word and metadata tables. Versions 6 and 7 replaced both tables, and their own Java
 * migrations ({@link SearchIndexBackfill}, {@link MetadataIndexBackfill}) index every stored row, so a store upgraded
 * from before version 5 now has nothing to do here.
 */
final class MetadataEntriesBackfill extends BaseJavaMigration {

    @Override
    protected void init() {
        // The version and description are given below, not read from the class name.
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("5.1");
    }

    @Override
    public String getDescription() {
        return "index the traces stored before search";
    }

    @Override
    public void migrate(Context context) {
        // Done by migrations 6.1 and 7.1, which index into the tables that replaced version 5's.
    }
}
