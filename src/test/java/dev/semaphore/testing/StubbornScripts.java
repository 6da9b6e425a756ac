package dev.semaphore.testing;

/** Task scripts that resist being stopped, for the tests that stop them. */
public final class StubbornScripts {
    /**
     * A bash script that ignores SIGTERM (saying so), with a child that ignores it too (saying so) and one
     * that left its session with setsid and ignores TERM and HUP; it prints "started" and loops.
     */
    public static final String RESIST = """
            trap 'echo main-term-ignored' TERM
            ( trap 'echo child-term-ignored' TERM; while true; do sleep 0.1; done ) &
            setsid bash -c 'trap "" TERM HUP; while true; do sleep 0.1; done' < /dev/null > /dev/null 2>&1 &
            echo started
            while true; do sleep 0.1; done
            """;

    /** The live processes whose environment holds {@code STOP_MARKER=<marker>} (a task's, marked by its variables). */
    public static java.util.List<ProcessHandle> marked(String marker) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + p.pid() + "/environ"))
                        .contains("STOP_MARKER=" + marker) && p.isAlive();
            } catch (Exception gone) {
                return false; // ended meanwhile, or not ours to read
            }
        }).toList();
    }

    private StubbornScripts() {
    }
}
