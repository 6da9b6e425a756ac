package dev.semaphore.secret;

/** A stored secret that cannot be decrypted: the message says why (which key id is missing). */
public final class SecretUnreadableException extends RuntimeException {
    SecretUnreadableException(String message) {
        super(message);
    }
}
