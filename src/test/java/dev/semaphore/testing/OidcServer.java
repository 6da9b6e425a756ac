package dev.semaphore.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real OpenID provider, NAV's mock-oauth2-server (from Maven Central), in its own JVM on a free
 * loopback port. Its login page asks who signs in (the {@code sub}) and which claims to add, so a test
 * signs in as anyone, with any claims, by posting that form. Each issuer is a path:
 * {@code http://127.0.0.1:PORT/<issuer>/.well-known/openid-configuration}. It runs until closed or the
 * test JVM exits.
 */
public final class OidcServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private OidcServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static OidcServer start() {
        try {
            Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "oidc");
            int port = LocalService.freePort();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-cp", providerClasspath(),
                    "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt");
            builder.environment().put("SERVER_PORT", Integer.toString(port));
            builder.environment().put("SERVER_HOSTNAME", "127.0.0.1");
            builder.environment().put("JSON_CONFIG", "{\"interactiveLogin\": true}");
            return new OidcServer(LocalService.start(builder, port, dir.resolve("oidc.log"), Duration.ofSeconds(30),
                    "the OIDC server"), port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The provider's classpath as the build wrote it (pom: oidc-provider-classpath), with JUnit 4, which
     * its classes name, copied apart (oidc-provider-lib) so that it stays off the tests' own classpath.
     */
    private static String providerClasspath() throws IOException {
        Path file = Path.of("target", "oidc-provider.classpath");
        Path lib = Path.of("target", "oidc-provider-lib");
        if (!Files.isRegularFile(file) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(file.toAbsolutePath() + " is missing: run the tests through Maven");
        }
        StringBuilder path = new StringBuilder(Files.readString(file).strip());
        try (var jars = Files.list(lib)) {
            jars.forEach(jar -> path.append(java.io.File.pathSeparator).append(jar.toAbsolutePath()));
        }
        return path.toString();
    }

    /** The issuer URL of {@code issuer} (its discovery document is under it). */
    public String issuer(String issuer) {
        return "http://127.0.0.1:" + port + "/" + issuer;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
