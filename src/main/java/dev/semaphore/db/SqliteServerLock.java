package dev.semaphore.db;

import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigException;
import dev.semaphore.config.ConfigKeys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server process per SQLite database: the server holds an exclusive lock on {@code <file>.server-lock}
 * for its life. The system drops the lock when the process ends, however it ends, so a killed server never
 * blocks the next. CLI commands (users, backups, vault) do not take it: they may run beside the server.
 */
public final class SqliteServerLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private SqliteServerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock for a SQLite configuration; nothing to hold for PostgreSQL or MySQL (null). */
    public static SqliteServerLock acquire(Config config) {
        if (Dialect.fromConfig(config.dialect()) != Dialect.SQLITE) {
            return null;
        }
        Path database = Path.of(config.string(ConfigKeys.DB_HOST)).toAbsolutePath();
        Path lockFile = database.resolveSibling(database.getFileName() + ".server-lock");
        FileChannel channel = null;
        try {
            java.nio.file.Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw taken(database);
            }
            return new SqliteServerLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw taken(database);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException("cannot lock the SQLite database " + database + " for this server: "
                    + e.getMessage());
        } catch (ConfigException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static ConfigException taken(Path database) {
        return new ConfigException("another semaphore server is running on the SQLite database " + database
                + "; SQLite serves one server process (for several, use PostgreSQL or MySQL/MariaDB)");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was locked through it.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // The process ends; the system drops the lock.
        }
    }
}
