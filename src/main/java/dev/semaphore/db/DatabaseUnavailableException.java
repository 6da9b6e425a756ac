package dev.semaphore.db;

/** The database could not be reached at start; the message says which one, never with credentials. */
public final class DatabaseUnavailableException extends RuntimeException {
    DatabaseUnavailableException(Dialect dialect, String host, Throwable cause) {
        super("cannot connect to the " + dialect.name().toLowerCase() + " database at " + host + ": "
                + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
