package dev.semaphore.cli;

/** A command that cannot do what was asked; printed as one line, exit code 1. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
