package dev.semaphore.hostconfig;

/**
 * Upstream's credential mapping: the key for an SSH host ({@code type} host, {@code host} a host name) or for the
 * git URLs under a prefix ({@code type} url, {@code host} the prefix), used by git (submodules too) and
 * ansible-galaxy in a task.
 */
public record HostConfig(long id, long projectId, String type, String host, long sshKeyId) {
}
