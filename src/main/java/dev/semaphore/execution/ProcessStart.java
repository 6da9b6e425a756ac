package dev.semaphore.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * When the kernel started a process, in clock ticks since boot ({@code /proc/<pid>/stat}, field 22). Together
 * with the pid it names one process for the life of the machine: a pid is given again, a start tick with it is not.
 * Unlike {@link ProcessHandle.Info#startInstant()}, which adds this to a boot time rounded to the second, it can be
 * compared exactly.
 */
public final class ProcessStart {
    private static final int FIELDS_AFTER_NAME_TO_START = 19;

    private ProcessStart() {
    }

    /** The process's start tick; empty when it is gone or the system has no {@code /proc}. */
    public static OptionalLong ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the process name (field 2) is in parentheses and may hold spaces and parentheses itself
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(after[FIELDS_AFTER_NAME_TO_START]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
