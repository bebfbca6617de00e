package dev.edgesocket.metrics;

import dev.edgesocket.zone.Zone;

/**
 * What the stats history asks of the room that counts a zone's origin traffic: its totals since start. Declared
 * here so that {@code metrics} need not know that room; the config API's room supplies it from the origin's
 * meters.
 */
public interface OriginCounts {

    /** The zone's origin totals now, or null when the zone has no origin. */
    Totals of(Zone zone);

    /**
     * Totals since start: connections made, failures of every cause, and the seconds all connections took to
     * connect.
     */
    record Totals(long connects, long failures, double connectSeconds) {
    }
}
