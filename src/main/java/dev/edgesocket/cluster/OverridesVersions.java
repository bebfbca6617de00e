package dev.edgesocket.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which version of each zone's stored overrides this node last applied, and whether a reply may still be applied.
 * Replies come from three places that can arrive out of order: a change's own answer, the notification of any
 * node's change, and the periodic re-read. Redis stamps each with the zone's version (see {@code Lua.CHANGE}), and
 * only a newer one is applied, so a re-read produced before a change never lays old settings back on.
 * <p>
 * Callers hold the zone's lock between {@link #isNewer} and {@link #applied}, so two replies of one zone are
 * decided and applied one after the other.
 */
final class OverridesVersions {

    /** A version from a node that predates versions (a rolling upgrade): applied as it comes, as they did. */
    static final long UNVERSIONED = 0;

    private record Applied(long version, String overrides) {
    }

    private final Map<String, Applied> applied = new ConcurrentHashMap<>();

    /**
     * True when the reply should be applied: the first one, a newer version, an unversioned one, or the same
     * version with other content (only a node without versions writes without raising it).
     */
    boolean isNewer(String zone, long version, String overrides) {
        Applied last = applied.get(zone);
        return last == null || version == UNVERSIONED || version > last.version
                || (version == last.version && !overrides.equals(last.overrides));
    }

    void applied(String zone, long version, String overrides) {
        Applied last = applied.get(zone);
        applied.put(zone, new Applied(last == null ? version : Math.max(version, last.version), overrides));
    }

    /** The overrides last applied (or refused for bad values) for the zone, or null. */
    String lastOverrides(String zone) {
        Applied last = applied.get(zone);
        return last == null ? null : last.overrides;
    }
}
