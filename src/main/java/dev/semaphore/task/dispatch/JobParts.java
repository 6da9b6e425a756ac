package dev.semaphore.task.dispatch;

import dev.semaphore.environment.Environment;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.repository.Repository;
import dev.semaphore.secret.KeySecret;
import java.util.Map;

/**
 * What {@link JobPreparation} reads a job from: on the server, the features' services
 * ({@link JobSources}); on a remote runner, the job the server sent. One preparation, wherever it runs.
 */
public interface JobParts {
    Repository repository(long projectId, long id);

    Inventory inventory(long projectId, long id);

    Environment environment(long projectId, long id);

    /** A variable group's secrets of one type ("var" or "env"), by name, decrypted. */
    Map<String, String> secretValues(long projectId, long environmentId, String type);

    KeySecret key(long projectId, long id);

    String webHost();

    int maxLineLength();

    int confirmationTimeoutSeconds();

    /** The project's credential mappings (host configs) with their keys, for the task's git and galaxy. */
    default java.util.List<dev.semaphore.secret.GitMapping> gitMappings(long projectId) {
        return java.util.List.of();
    }
}
