package io.cococloud.jdbc;

import java.sql.Timestamp;
import java.time.Instant;

/** Reading the database's {@code timestamptz} columns, which every table uses for its times. */
public final class Timestamps {

    private Timestamps() {}

    /** The column's value as an instant; null when the column is (a time that has not happened yet). */
    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
