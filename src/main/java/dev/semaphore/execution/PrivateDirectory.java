package dev.semaphore.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** A directory only this process's user can enter (0700), removed with everything in it on close. */
public final class PrivateDirectory implements AutoCloseable {
    private final Path path;

    public PrivateDirectory(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            this.path = Files.createTempDirectory(parent, prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + path, e);
        }
    }
}
