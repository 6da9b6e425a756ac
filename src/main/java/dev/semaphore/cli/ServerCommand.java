package dev.semaphore.cli;

import dev.semaphore.Server;
import dev.semaphore.Services;
import dev.semaphore.config.Config;
import dev.semaphore.execution.ServerEnvironment;
import dev.semaphore.user.AdminBootstrap;
import dev.semaphore.user.PasswordHasher;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "server", aliases = "service", description = "Start the web server and task engine.")
final class ServerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    @ParentCommand
    SemaphoreCommand root;

    @Override
    public Integer call() throws InterruptedException {
        long started = System.nanoTime();
        Config config = root.loadConfig();
        root.applyLogLevel(config, "INFO");
        int erased = ServerEnvironment.eraseSecrets();
        if (erased > 0) {
            LOG.info("erased {} SEMAPHORE_* value(s) from the process environment; they are kept in memory only",
                    erased);
        }
        // Held until the process ends: a second server on the same SQLite file stops here.
        dev.semaphore.db.SqliteServerLock sqliteLock = dev.semaphore.db.SqliteServerLock.acquire(config);
        Services services = Services.create(config, new PasswordHasher());
        // Database and HTTP start side by side; requests wait for the database half.
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            services.migrate();
            services.vault().confirmKey();
            new AdminBootstrap(services.users(), System.out).ensureAdmin(root.env);
        });
        Server server = Server.start(services, ready);
        try {
            ready.join();
        } catch (CompletionException e) {
            server.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (sqliteLock != null) {
                sqliteLock.close();
            }
            stopped.countDown();
        }, "shutdown"));
        LOG.info("Semaphore listening on port {} ({} database{}), started in {} ms", server.port(),
                config.dialect(), config.file().map(f -> ", config " + f).orElse(""),
                (System.nanoTime() - started) / 1_000_000);
        stopped.await();
        return 0;
    }
}
