package dev.edgesocket.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of cluster mode. Each runs atomically in Redis, so a decision that reads several keys
 * (the places of every live node) takes one round trip and cannot race.
 * Sent by SHA-1 ({@code EVALSHA}), with the text only when Redis does not know it yet (after a restart).
 */
final class Lua {

    record Script(String name, String text, String sha) {
        static Script of(String name, String text) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return new Script(name, text, HexFormat.of().formatHex(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
    }

    private Lua() {
    }

    /**
     * Admissions. KEYS: places hash. ARGV: node key prefix, this node, max-connections, how many upgrades ask.
     * Drops the fields of dead nodes, sums the rest, and takes for this node as many places as are left, up to
     * the number asked. Returns the places granted (0 when the zone is full).
     */
    static final Script ADMIT = Script.of("admit", """
            local fields = redis.call('HGETALL', KEYS[1])
            local total = 0
            for i = 1, #fields, 2 do
              local node = fields[i]
              if node == ARGV[2] or redis.call('EXISTS', ARGV[1] .. node) == 1 then
                total = total + math.max(0, tonumber(fields[i + 1]))
              else
                redis.call('HDEL', KEYS[1], node)
              end
            end
            local granted = math.max(0, math.min(tonumber(ARGV[3]) - total, tonumber(ARGV[4])))
            if granted > 0 then
              redis.call('HINCRBY', KEYS[1], ARGV[2], granted)
            end
            return granted
            """);

    /** Places given back. KEYS: places hash. ARGV: this node, how many. Never leaves a count below zero. */
    static final Script RELEASE = Script.of("release", """
            local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
            if left <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return left
            """);

    /**
     * The node's registration, renewed every node-timeout/3. KEYS: node key, nodes set. ARGV: counts JSON,
     * time to live (ms), node id, force ("1": write the places even if the key existed), key prefix, then
     * zone and places pairs. When the key had expired (or never existed) or force is set, the node's place count in
     * every zone is re-written from its own truth. Returns 1 when the places were re-written.
     */
    static final Script HEARTBEAT = Script.of("heartbeat", """
            local existed = redis.call('EXISTS', KEYS[1])
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[3])
            if existed == 1 and ARGV[4] ~= '1' then
              return 0
            end
            for i = 6, #ARGV, 2 do
              local places = ARGV[5] .. 'zone:' .. ARGV[i] .. ':places'
              if tonumber(ARGV[i + 1]) > 0 then
                redis.call('HSET', places, ARGV[3], ARGV[i + 1])
              else
                redis.call('HDEL', places, ARGV[3])
              end
            end
            return 1
            """);

    /**
     * Removes what dead nodes left: their places (the admission script ignores them already). KEYS: nodes
     * set. ARGV: key prefix, then the zone names. Returns the nodes reaped.
     */
    static final Script REAP = Script.of("reap", """
            local reaped = {}
            for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('EXISTS', ARGV[1] .. 'node:' .. node) == 0 then
                for i = 2, #ARGV do
                  redis.call('HDEL', ARGV[1] .. 'zone:' .. ARGV[i] .. ':places', node)
                end
                redis.call('SREM', KEYS[1], node)
                table.insert(reaped, node)
              end
            end
            return reaped
            """);

    /** The live nodes and their counts. KEYS: nodes set. ARGV: node key prefix. Returns node, JSON pairs. */
    static final Script NODES = Script.of("nodes", """
            local out = {}
            for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local counts = redis.call('GET', ARGV[1] .. node)
              if counts then
                table.insert(out, node)
                table.insert(out, counts)
              end
            end
            return out
            """);

    /**
     * A change of a zone's settings. KEYS: zone overrides. ARGV: settings channel, zone, closeExisting
     * ("true"/"false"), then setting and JSON value pairs. Stores the fields and a new version of the zone's
     * overrides (field {@code #version}), tells every node (the notification carries the zone's whole overrides
     * and that version), and returns the overrides as JSON and the version.
     * <p>
     * The version orders what nodes apply: a read produced before this change but arriving after its
     * notification has a lower one, and is not laid back on. It is the later of the last version plus one and
     * Redis' clock in microseconds, so it grows even across a Redis that restarted empty (see OVERRIDES).
     */
    static final Script CHANGE = Script.of("change", """
            for i = 4, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
            end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local last = tonumber(redis.call('HGET', KEYS[1], '#version')) or 0
            local version = string.format('%.0f', math.max(last + 1, now))
            redis.call('HSET', KEYS[1], '#version', version)
            local all = redis.call('HGETALL', KEYS[1])
            local parts = {}
            for i = 1, #all, 2 do
              if all[i] ~= '#version' then
                table.insert(parts, cjson.encode(all[i]) .. ':' .. all[i + 1])
              end
            end
            local overrides = '{' .. table.concat(parts, ',') .. '}'
            redis.call('PUBLISH', ARGV[1], '{"type":"settings","request":0,"body":{"zone":' .. cjson.encode(ARGV[2])
              .. ',"closeExisting":' .. ARGV[3] .. ',"version":' .. version .. ',"overrides":' .. overrides .. '}}')
            return {overrides, version}
            """);

    /**
     * Every zone's overrides. ARGV: key prefix, then zone names. Returns zone, overrides JSON, version triples.
     * A zone without a version (never changed, or a Redis that restarted empty) gets Redis' clock as its
     * version here, so that this read is newer than anything applied before the data was lost, and older than
     * any change that follows.
     */
    static final Script OVERRIDES = Script.of("overrides", """
            local out = {}
            local t = redis.call('TIME')
            local now = string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]))
            for i = 2, #ARGV do
              local key = ARGV[1] .. 'zone:' .. ARGV[i] .. ':overrides'
              local all = redis.call('HGETALL', key)
              local parts = {}
              local version = nil
              for j = 1, #all, 2 do
                if all[j] == '#version' then
                  version = all[j + 1]
                else
                  table.insert(parts, cjson.encode(all[j]) .. ':' .. all[j + 1])
                end
              end
              if not version then
                version = now
                redis.call('HSET', key, '#version', version)
              end
              table.insert(out, ARGV[i])
              table.insert(out, '{' .. table.concat(parts, ',') .. '}')
              table.insert(out, version)
            end
            return out
            """);
}
