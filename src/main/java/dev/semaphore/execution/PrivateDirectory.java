package dev.semaphore.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * A directory only this process's user can enter (0700), removed with everything in it on close.
 * Its name carries the server process's identity ({@code prefix<pid>.<start>-random}, the start being
 * the kernel's start time of that process in clock ticks since boot), so that a server starting after
 * one killed outright can tell the dead one's leftovers (which may hold key material) from a live
 * one's and remove them, even when the dead one's pid has been given to another process: see {@link #sweep}.
 */
public final class PrivateDirectory implements AutoCloseable {
    /** Where short-lived directories with unix sockets go: socket paths must stay under 108 bytes. */
    public static final Path SOCKETS = Path.of(System.getProperty("java.io.tmpdir"));
    private static final java.util.regex.Pattern OWNED = java.util.regex.Pattern.compile(
            "(task_\\d+_|git-|semaphore-ssh-|semaphore-cp-)(\\d+)(?:\\.(\\d+))?-.*");
    private static final long PID = ProcessHandle.current().pid();
    /** This process as it is named in its directories: its pid, and its start where the kernel tells it. */
    public static final String OWNER = PID + ProcessStart.ticks(PID).stream().mapToObj(t -> "." + t).findFirst().orElse("");

    private final Path path;
    private final ProcessIsolation owner;

    public PrivateDirectory(Path parent, String prefix) {
        this(parent, prefix, ProcessIsolation.NONE);
    }

    /** A directory of {@code owner}'s task user (this process's user when tasks run as it), as is all written in it. */
    public PrivateDirectory(Path parent, String prefix, ProcessIsolation owner) {
        this.owner = owner;
        try {
            Files.createDirectories(parent);
            owner.enterOnly(parent);
            this.path = Files.createTempDirectory(parent, prefix + OWNER + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            owner.own(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory under " + parent, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Writes an executable helper script (0700). */
    public Path script(String name, String content) {
        try {
            Path file = path.resolve(name);
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
            owner.own(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file only this user can read (0600), for a secret a tool reads from a file. */
    public Path secretFile(String name, String content) {
        try {
            Path file = path.resolve(name);
            Files.writeString(file, "", java.nio.file.StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            owner.own(file);
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server process that made a directory still runs. With its start in the name this is exact:
     * the process of that pid started at that tick. Names without one (made by an earlier version) are
     * judged by times: a live process of that pid that started before the directory was made.
     */
    private static boolean ownerAlive(long pid, String start, Path dir) {
        if (start != null) {
            return ProcessStart.ticks(pid).stream().anyMatch(t -> Long.toString(t).equals(start));
        }
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        try {
            java.time.Instant made = Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class)
                    .lastModifiedTime().toInstant();
            return process.get().info().startInstant().map(started -> !started.isAfter(made)).orElse(true);
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Removes the private directories under {@code root} (and, with {@code projects}, its
     * {@code project_*} folders) whose server process is gone; returns how many. A live server's
     * directories are left alone.
     */
    public static int sweep(Path root, boolean projects) {
        int removed = 0;
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if (projects && name.startsWith("project_") && Files.isDirectory(child)) {
                    removed += sweep(child, false);
                    continue;
                }
                java.util.regex.Matcher owned = OWNED.matcher(name);
                if (owned.matches() && Files.isDirectory(child) && !ownerAlive(Long.parseLong(owned.group(2)), owned.group(3), child)) {
                    removeTree(child);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for leftovers in " + root, e);
        }
        return removed;
    }

    /** Removes a directory and all in it; what disappears meanwhile (an agent removing its socket) is fine. */
    public static void removeTree(Path dir) {
        try {
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file,
                                                               java.nio.file.attribute.BasicFileAttributes attrs)
                        throws IOException {
                    Files.deleteIfExists(file);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof java.nio.file.NoSuchFileException) {
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public java.nio.file.FileVisitResult postVisitDirectory(Path directory, IOException e)
                        throws IOException {
                    Files.deleteIfExists(directory);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed already
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    @Override
    public void close() {
        removeTree(path);
    }
}
