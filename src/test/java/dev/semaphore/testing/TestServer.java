package dev.semaphore.testing;

import dev.semaphore.Server;
import dev.semaphore.Services;
import dev.semaphore.config.Config;
import dev.semaphore.db.Dialect;
import dev.semaphore.user.PasswordHasher;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A real server on a fresh database of one dialect, listening on a free loopback port. */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Dialect dialect;
    private final Server server;
    private final String baseUrl;

    public TestServer(Dialect dialect) {
        this(dialect, TestDatabases.freshConfig(dialect));
    }

    public TestServer(Dialect dialect, Config config) {
        this(dialect, config, java.time.Clock.systemUTC());
    }

    /** @param clock what the server's schedules read the time from */
    public TestServer(Dialect dialect, Config config, java.time.Clock clock) {
        this.dialect = dialect;
        // The lowest bcrypt cost: fixtures create thousands of users; the server's own cost is tested apart.
        this.server = Server.start(Services.open(config, new PasswordHasher(4), clock));
        this.baseUrl = "http://127.0.0.1:" + server.port();
    }

    /** Every route the server registered under /api. */
    public java.util.List<dev.semaphore.web.Api.Route> routes() {
        return server.routes();
    }

    public Dialect dialect() {
        return dialect;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Services services() {
        return server.services();
    }

    public Client anonymous() {
        return new Client(baseUrl, Map.of(), 0);
    }

    /** A unique name for test data, so tests sharing a server never collide. */
    public static String unique(String prefix) {
        return prefix + SEQUENCE.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 100000, 36);
    }

    /** A new user (created directly through the service) and a client holding an API token for them. */
    public Client newUser(String prefix, boolean admin) {
        String login = unique(prefix);
        User user = services().users().create(null,
                new UserService.NewUser(login, "Test " + login, login + "@example.test", PASSWORD, admin, false, false));
        return asUser(user.id());
    }

    public Client newUser(String prefix) {
        return newUser(prefix, false);
    }

    public Client admin() {
        return newUser("admin", true);
    }

    public Client asUser(long userId) {
        String token = services().tokens().create(userId, "test", null).id();
        return new Client(baseUrl, Map.of("Authorization", "Bearer " + token), userId);
    }

    /** A client carrying the session cookie from a real login. */
    public Client withCookie(String cookie, long userId) {
        return new Client(baseUrl, Map.of("Cookie", cookie), userId);
    }

    @Override
    public void close() {
        server.close();
    }
}
