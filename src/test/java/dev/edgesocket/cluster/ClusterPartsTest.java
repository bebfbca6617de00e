package dev.edgesocket.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;

/** The cluster's small rules, without a Redis: node ids, session ids, deadlines and the local share. */
class ClusterPartsTest {

    private static final EdgeScript NONE = request -> null;

    private static Zone zone(String name) {
        return new Zone(name, "/" + name, NONE, Dispatch.WORKER, new ZoneSettings(true, java.util.List.of(),
                Duration.ofSeconds(30), Duration.ofMinutes(2), 10, 1 << 20, 4 << 20, 16384, false, java.util.List.of(), false));
    }

    @Test
    void theNodeIdIsTheConfiguredOneElseThePodNameElseRandom() {
        assertEquals("a", new NodeIdentity(Optional.of("a"), Optional.of("pod-1")).id());
        assertEquals("edgesocket-7d9f-x2", new NodeIdentity(Optional.empty(), Optional.of("edgesocket-7d9f-x2")).id());
        assertTrue(new NodeIdentity(Optional.empty(), Optional.empty()).id().matches("node-[0-9a-f]{8}"));
        assertTrue(new NodeIdentity(Optional.empty(), Optional.of("bad name")).id().startsWith("node-"),
                "a hostname that is no valid id is passed over");
        IllegalStateException bad = assertThrows(IllegalStateException.class,
                () -> new NodeIdentity(Optional.of("a b"), Optional.empty()));
        assertTrue(bad.getMessage().startsWith("edgesocket.cluster.node-id 'a b' cannot be used"), bad.getMessage());
    }

    @Test
    void sessionIdsNameZoneNodeAndSequenceEvenWithDashesInNames() {
        Zone zone = zone("lab-loop");
        assertEquals(new RedisSessions.ParsedId("edgesocket-7d9f-x2", 1732900000000001L),
                RedisSessions.parse(zone, "lab-loop-edgesocket-7d9f-x2-1732900000000001"));
        assertNull(RedisSessions.parse(zone, "lab-loop-42"), "a single node's id has no node");
        assertNull(RedisSessions.parse(zone, "echo-n1-42"));
        assertNull(RedisSessions.parse(zone, "lab-loop-n1-x"));
    }

    @Test
    void aCommandMayTakeAQuarterOfTheNodeTimeoutWithinBounds() {
        assertEquals(Duration.ofMillis(1000), RedisLink.commandDeadline(Duration.ofSeconds(10)));
        assertEquals(Duration.ofMillis(750), RedisLink.commandDeadline(Duration.ofSeconds(3)));
        assertEquals(Duration.ofMillis(200), RedisLink.commandDeadline(Duration.ofMillis(400)));
    }

    @Test
    void theLocalShareDividesTheLimitByTheNodesLastSeenAndIsAtLeastOne() {
        RedisAdmission admission = new RedisAdmission(null, "n1", "edgesocket:", null);
        assertEquals(30, admission.localShare(30));
        admission.nodesSeen(3);
        assertEquals(10, admission.localShare(30));
        assertEquals(1, admission.localShare(2));
        assertEquals(0, admission.localShare(0), "a zone closed to all stays closed");
    }

}
