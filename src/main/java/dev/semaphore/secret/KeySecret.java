package dev.semaphore.secret;

/**
 * The secret part of an access key, as the task engine will use it. Held in memory only while
 * needed; stored encrypted as JSON.
 */
public sealed interface KeySecret {
    record None() implements KeySecret {
    }

    record Ssh(String login, String passphrase, String privateKey) implements KeySecret {
    }

    record LoginPassword(String login, String password) implements KeySecret {
    }

    record Text(String value) implements KeySecret {
    }
}
