package dev.semaphore.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.testing.TestDatabases;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link PgListener} against a real PostgreSQL: a notification sent in a transaction arrives once it
 * commits (never before, so a reader finds the rows it announces), and after the listening connection
 * is killed by the server the listener connects again and hears the next one.
 */
class PgListenerTest {
    @Test
    void hearsCommittedNotificationsAndSurvivesALostConnection() throws Exception {
        Database db = Database.open(TestDatabases.freshConfig(Dialect.POSTGRES));
        Semaphore heard = new Semaphore(0);
        try (PgListener listener = new PgListener(db, "probe_channel", heard::release)) {
            int first = awaitListening(db, 0);
            db.txRun(h -> {
                PgListener.notify(h, "probe_channel");
                try {
                    assertThat(heard.tryAcquire(300, TimeUnit.MILLISECONDS)).as("heard before the commit").isFalse();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(heard.tryAcquire(5, TimeUnit.SECONDS)).as("heard after the commit").isTrue();

            boolean terminated = db.read(h -> h.createQuery("SELECT pg_terminate_backend(:pid)").bind("pid", first)
                    .mapTo(Boolean.class).one());
            assertThat(terminated).as("the listening connection, killed by the server").isTrue();
            awaitListening(db, first);
            db.txRun(h -> PgListener.notify(h, "probe_channel"));
            assertThat(heard.tryAcquire(5, TimeUnit.SECONDS)).as("heard again on a new connection").isTrue();
        } finally {
            db.close();
        }
    }

    /** The server pid of the connection (other than {@code not}) whose last statement is the LISTEN. */
    private static int awaitListening(Database db, int not) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            var pid = db.read(h -> h.createQuery("SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN probe_channel'"
                    + " AND datname = current_database() AND pid <> :not").bind("not", not).mapTo(Integer.class)
                    .findFirst());
            if (pid.isPresent()) {
                return pid.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nobody listens");
    }
}
