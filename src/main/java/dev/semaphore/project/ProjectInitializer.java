package dev.semaphore.project;

import org.jdbi.v3.core.Handle;

/**
 * Something every new project gets (upstream creates a "None" key and an "All" view), written in
 * the transaction that creates the project.
 */
@FunctionalInterface
public interface ProjectInitializer {
    void initialize(Handle handle, long projectId);
}
