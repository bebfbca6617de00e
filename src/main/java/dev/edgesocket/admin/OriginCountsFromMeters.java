package dev.edgesocket.admin;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.metrics.OriginCounts;
import dev.edgesocket.origin.OriginMeters;
import dev.edgesocket.zone.Zone;

/**
 * The stats history's origin totals, read from the origin's meters: {@code metrics} may not import {@code origin}
 * (it sits above it), so this room, which may import both, joins them.
 */
@Singleton
public class OriginCountsFromMeters implements OriginCounts {

    private final OriginMeters meters;

    @Inject
    public OriginCountsFromMeters(OriginMeters meters) {
        this.meters = meters;
    }

    @Override
    public Totals of(Zone zone) {
        if (zone.origin() == null) {
            return null; // no meters for a zone without an origin: Prometheus shows only zones that have one
        }
        OriginMeters.ForZone counted = meters.forZone(zone.name());
        return new Totals(counted.connects(), counted.failures(), counted.connectSeconds());
    }
}
