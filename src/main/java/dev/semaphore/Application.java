package dev.semaphore;

import dev.semaphore.cli.SemaphoreCommand;

/** Entry point: everything is a CLI verb, {@code server} among them. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        StartupWarmup.start();
        System.exit(SemaphoreCommand.run(args));
    }
}
