package dev.semaphore.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.testing.TestDatabases;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two transactions that lock the same two rows in opposite orders: the real database picks one as
 * the deadlock victim, and {@link Database#tx} runs that one again, so both changes land.
 */
class DeadlockRetryTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void aDeadlockVictimIsRunAgainAndBothChangesLand(Dialect dialect) throws Exception {
        Database db = Database.open(TestDatabases.freshConfig(dialect));
        try {
            db.migrate();
            db.txRun(h -> h.execute("CREATE TABLE deadlock_probe (id INT PRIMARY KEY, n INT NOT NULL)"));
            db.txRun(h -> h.execute("INSERT INTO deadlock_probe (id, n) VALUES (1, 0), (2, 0)"));
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            AtomicInteger attempts = new AtomicInteger();
            var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> swap(db, 1, 2, bothHoldOne, attempts), threads);
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> swap(db, 2, 1, bothHoldOne, attempts), threads);
            CompletableFuture.allOf(a, b).get(60, TimeUnit.SECONDS);
            threads.shutdown();
            assertThat(attempts.get()).as("one transaction ran twice").isEqualTo(3);
            int sum = db.read(h -> h.createQuery("SELECT SUM(n) FROM deadlock_probe").mapTo(Integer.class).one());
            assertThat(sum).isEqualTo(4);
        } finally {
            db.close();
        }
    }

    private static void swap(Database db, int first, int second, CountDownLatch bothHoldOne, AtomicInteger attempts) {
        db.txRun(h -> {
            attempts.incrementAndGet();
            h.execute("UPDATE deadlock_probe SET n = n + 1 WHERE id = ?", first);
            bothHoldOne.countDown();
            try {
                bothHoldOne.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            h.execute("UPDATE deadlock_probe SET n = n + 1 WHERE id = ?", second);
        });
    }

    /**
     * The same deadlock inside a nested {@code tx} (a service called from a restore's transaction): the victim's
     * whole transaction is gone, so the outermost is run again, never the inner part alone in a new one (which
     * would commit the inner writes without the outer's).
     */
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void aDeadlockInANestedTransactionRunsTheOutermostAgain(Dialect dialect) throws Exception {
        Database db = Database.open(TestDatabases.freshConfig(dialect));
        try {
            db.migrate();
            db.txRun(h -> h.execute("CREATE TABLE deadlock_probe (id INT PRIMARY KEY, n INT NOT NULL)"));
            db.txRun(h -> h.execute("CREATE TABLE deadlock_marks (id INT PRIMARY KEY)"));
            db.txRun(h -> h.execute("INSERT INTO deadlock_probe (id, n) VALUES (1, 0), (2, 0)"));
            CountDownLatch bothHoldOne = new CountDownLatch(2);
            AtomicInteger attempts = new AtomicInteger();
            var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> db.txRun(h -> {
                h.execute("INSERT INTO deadlock_marks (id) VALUES (1)");
                swap(db, 1, 2, bothHoldOne, attempts);
            }), threads);
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> db.txRun(h -> {
                h.execute("INSERT INTO deadlock_marks (id) VALUES (2)");
                swap(db, 2, 1, bothHoldOne, attempts);
            }), threads);
            CompletableFuture.allOf(a, b).get(60, TimeUnit.SECONDS);
            threads.shutdown();
            int marks = db.read(h -> h.createQuery("SELECT COUNT(*) FROM deadlock_marks").mapTo(Integer.class).one());
            assertThat(marks).as("both outer transactions' own writes landed").isEqualTo(2);
            int sum = db.read(h -> h.createQuery("SELECT SUM(n) FROM deadlock_probe").mapTo(Integer.class).one());
            assertThat(sum).isEqualTo(4);
        } finally {
            db.close();
        }
    }
}
