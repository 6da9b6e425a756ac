package dev.semaphore.repository;

/** A git repository of a project, in upstream's JSON shape. */
public record Repository(long id, String name, long projectId, String gitUrl, String gitBranch, long sshKeyId) {
}
