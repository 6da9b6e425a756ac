package dev.semaphore.task.dispatch;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Runs a database write again and again while the database does not answer (an outage ends no task and
 * loses nothing it said), waiting longer each time up to 5 s; gives up only when {@code givingUp} says so
 * (the server is shutting down).
 */
final class UntilAnswered {
    private UntilAnswered() {
    }

    static <T> T run(Logger log, String what, BooleanSupplier givingUp, Supplier<T> action) {
        long wait = 500;
        boolean told = false;
        while (true) {
            try {
                T result = action.get();
                if (told) {
                    log.info("the database answers again: could {}", what);
                }
                return result;
            } catch (RuntimeException e) {
                if (givingUp.getAsBoolean()) {
                    throw e;
                }
                if (!told) {
                    log.warn("could not {} (the database does not answer); trying again until it does", what);
                    told = true;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = Math.min(wait * 2, 5_000);
            }
        }
    }
}
