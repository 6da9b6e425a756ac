package dev.semaphore.execution;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the configuration is read, the server's {@code SEMAPHORE_*} variables (the keyring, cookie
 * keys, database, admin and integration secrets) are erased from the process's own environment
 * block: {@code /proc/<pid>/environ} reads that block, so any process allowed to look at the
 * server's would otherwise read the secrets there. The values stay in the server's memory only.
 * Linux only; elsewhere nothing changes.
 */
public final class ServerEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(ServerEnvironment.class);
    private static final byte[] PREFIX = "SEMAPHORE_".getBytes(StandardCharsets.US_ASCII);

    private ServerEnvironment() {
    }

    /** Overwrites the values of this process's SEMAPHORE_* variables with zero bytes; returns how many. */
    public static int eraseSecrets() {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.exists(stat)) {
            return 0;
        }
        try {
            String text = Files.readString(stat);
            // Fields after the command name (which may hold spaces) start at field 3; env_start is field 50.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            long start = Long.parseLong(fields[50 - 3]);
            long end = Long.parseLong(fields[51 - 3]);
            if (start <= 0 || end <= start || end - start > 16 * 1024 * 1024) {
                return 0;
            }
            try (RandomAccessFile memory = new RandomAccessFile("/proc/self/mem", "rw")) {
                byte[] block = new byte[(int) (end - start)];
                memory.seek(start);
                memory.readFully(block);
                int erased = 0;
                for (int i = 0; i < block.length; ) {
                    int entryEnd = i;
                    while (entryEnd < block.length && block[entryEnd] != 0) {
                        entryEnd++;
                    }
                    int equals = indexOf(block, (byte) '=', i, entryEnd);
                    if (startsWith(block, i, PREFIX) && equals > 0 && equals + 1 < entryEnd) {
                        memory.seek(start + equals + 1);
                        memory.write(new byte[entryEnd - equals - 1]);
                        erased++;
                    }
                    i = entryEnd + 1;
                }
                return erased;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not erase the SEMAPHORE_* values from the process environment: {}", e.getMessage());
            return 0;
        }
    }

    private static int indexOf(byte[] block, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (block[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] block, int at, byte[] prefix) {
        if (at + prefix.length > block.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (block[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
