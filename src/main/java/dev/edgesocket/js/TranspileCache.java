package dev.edgesocket.js;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Where transpiled scripts are kept across restarts: a directory that only this server's user can write.
 * <p>
 * What is found here runs as a zone's script, and the file names are a hash of public inputs, so the directory
 * must be one that no other local user can have prepared. The server creates it itself, owner-only
 * ({@code rwx------}); when it already exists, it is used only if it is a real directory (not a link) owned by
 * this process's user and writable by no one else, and each entry is read only if it is a regular file of the same
 * owner. Otherwise scripts are transpiled at every start, with one WARN saying why. This needs no secret and no
 * manifest: in a directory nobody else can write, nobody else can plant.
 */
final class TranspileCache {

    private static final Logger LOG = Logger.getLogger(TranspileCache.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** No cache: every script is transpiled. */
    static final TranspileCache NONE = new TranspileCache(null, null);

    private final Path dir;
    private final UserPrincipal owner;

    private TranspileCache(Path dir, UserPrincipal owner) {
        this.dir = dir;
        this.owner = owner;
    }

    /** The cache in {@code dir}, created if absent; {@link #NONE}, after one WARN, when it cannot be trusted. */
    static TranspileCache open(Path dir) {
        String problem;
        UserPrincipal me = null;
        try {
            createPrivate(dir);
            me = currentUser(dir);
            problem = problem(dir, me);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            problem = "cannot be used (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
        if (problem != null) {
            LOG.warnf("TypeScript is transpiled without a cache at every start: %s %s. Remove it, or set "
                    + "java.io.tmpdir to a directory of this server's own.", dir, problem);
            return NONE;
        }
        return new TranspileCache(dir, me);
    }

    private static void createPrivate(Path dir) throws IOException {
        try {
            if (posix(dir)) {
                // Created with owner-only bits at once (the umask can only take bits away), never widened later.
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // Someone made it first, perhaps this server at an earlier start: problem() decides.
        }
    }

    /**
     * This process's user: the owner of a file it has just created. (Java has no getuid, and a container's user
     * may have no name to look up.) The probe goes into the directory itself; where that is refused, the
     * directory is of no use as a cache anyway.
     */
    private static UserPrincipal currentUser(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, ".owner", ".tmp");
        try {
            return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Why the directory cannot be trusted, or null. */
    private static String problem(Path dir, UserPrincipal me) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!basic.isDirectory()) {
            return "is not a directory of its own (a link or a file)";
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(me)) {
            return "belongs to " + owner.getName() + ", not to " + me.getName() + ", who runs this server";
        }
        if (posix(dir)) {
            Set<PosixFilePermission> permissions = Files.readAttributes(dir, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).permissions();
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                return "may be written by other users (" + PosixFilePermissions.toString(permissions) + ")";
            }
        }
        return null;
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The text stored under {@code name}, if this server stored it: a regular file of this server's user. */
    Optional<String> read(String name) {
        if (dir == null) {
            return Optional.empty();
        }
        Path file = dir.resolve(name);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            LOG.debugf("Transpile cache entry %s unreadable (%s)", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores {@code text} under {@code name}, atomically; a failure only costs a transpile at the next start. */
    void write(String name, String text) {
        if (dir == null) {
            return;
        }
        try {
            Path tmp = Files.createTempFile(dir, "part", ".tmp"); // rw------- on POSIX
            Files.writeString(tmp, text);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debugf("Transpile cache not written (%s)", e.getMessage());
        }
    }
}
