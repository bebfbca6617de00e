package dev.edgesocket.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transpile cache trusts only a directory that no one but this server's user can write (issue 19, item 5);
 * JsScriptIT shows the whole attack against the packaged server.
 */
class TranspileCacheTest {

    @TempDir
    Path tmp;

    @Test
    void aDirectoryItCreatesIsOwnerOnlyAndKeepsEntries() throws IOException {
        Path dir = tmp.resolve("cache");
        TranspileCache cache = TranspileCache.open(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        cache.write("k.js", "exports.x = 1;");
        assertEquals(Optional.of("exports.x = 1;"), cache.read("k.js"));
        assertEquals(Optional.of("exports.x = 1;"), TranspileCache.open(dir).read("k.js"), "a restart finds it");
    }

    @Test
    void aDirectoryOthersMayWriteIsNotUsed() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("cache"));
        Files.writeString(dir.resolve("k.js"), "planted");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        TranspileCache cache = TranspileCache.open(dir);
        assertSame(TranspileCache.NONE, cache);
        assertEquals(Optional.empty(), cache.read("k.js"));
    }

    @Test
    void aDirectoryOfAnotherUserIsNotUsed() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("cache"));
        Files.writeString(dir.resolve("k.js"), "planted");
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(dir, nobody);
        } catch (IOException e) {
            Assumptions.abort("only root can give a directory away: " + e.getMessage());
        }
        assertSame(TranspileCache.NONE, TranspileCache.open(dir), "even with owner-only bits");
    }

    @Test
    void aLinkIsNotUsedNorAnEntryThatIsALink() throws IOException {
        Path real = tmp.resolve("real");
        TranspileCache.open(real).write("k.js", "mine");
        Path link = Files.createSymbolicLink(tmp.resolve("cache"), real);
        assertSame(TranspileCache.NONE, TranspileCache.open(link), "a link could point anywhere, later");

        Files.writeString(tmp.resolve("elsewhere.js"), "planted");
        Files.createSymbolicLink(real.resolve("l.js"), tmp.resolve("elsewhere.js"));
        TranspileCache cache = TranspileCache.open(real);
        assertEquals(Optional.empty(), cache.read("l.js"));
        assertTrue(cache.read("k.js").isPresent());
    }
}
