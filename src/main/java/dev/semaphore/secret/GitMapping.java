package dev.semaphore.secret;

/**
 * A credential mapping as git applies it in a task: {@code host} is an SSH host name ({@code type} host) or a URL
 * prefix ({@code type} url); {@code secret} the key git uses there.
 */
public record GitMapping(long id, String type, String host, KeySecret secret) {
}
