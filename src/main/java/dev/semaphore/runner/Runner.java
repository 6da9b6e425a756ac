package dev.semaphore.runner;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * A remote runner in upstream's JSON shape ({@code project_id} null for a server-wide one), with what
 * an admin wants to see of its health: the version and system load it reported, when it last asked
 * for work ({@code touched}), whether it counts as online, and how many tasks it runs now.
 */
public record Runner(long id, Long projectId, String name, String webhook, int maxParallelTasks, boolean active,
                     String tag, Instant touched, Instant cleaningRequested, String version, String systemLoad,
                     boolean online, int runningTasks, @JsonIgnore String publicKey, boolean registered) {

    Runner withLoad(boolean online, int running) {
        return new Runner(id, projectId, name, webhook, maxParallelTasks, active, tag, touched, cleaningRequested,
                version, systemLoad, online, running, publicKey, registered);
    }
}
