package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code tls.*} with certificates made by the test (openssl): HTTPS that a client verifying the name
 * accepts, HSTS, the plain port redirecting to HTTPS, and a renewed certificate served without a restart.
 */
class TlsTest {
    @Test
    void servesHttpsRedirectsHttpAndTakesARenewedCertificate() throws Exception {
        Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "tls");
        makeCertificate(dir, "first");
        makeCertificate(dir, "second");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(dir.resolve("first.crt"), cert);
        Files.copy(dir.resolve("first.key"), key);
        int redirect;
        try (ServerSocket free = new ServerSocket(0)) {
            redirect = free.getLocalPort();
        }
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.putObject("tls").put("enabled", true).put("cert_file", cert.toString()).put("key_file", key.toString())
                .put("http_redirect_port", redirect);
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            int port = Integer.parseInt(server.baseUrl().replaceAll(".*:", ""));
            HttpClient client = trusting(dir.resolve("first.crt"), dir.resolve("second.crt"));
            HttpResponse<String> ping = get(client, "https://127.0.0.1:" + port + "/api/ping");
            assertThat(ping.body()).isEqualTo("pong");
            assertThat(ping.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(servedName(ping)).isEqualTo("CN=first");

            HttpResponse<String> plain = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + redirect
                    + "/project/1/history?page=2");
            assertThat(plain.statusCode()).isEqualTo(307);
            assertThat(plain.headers().firstValue("Location"))
                    .hasValue("https://127.0.0.1:" + port + "/project/1/history?page=2");

            // Tasks on this machine reach the Terraform state backend in plain HTTP on loopback, and only it.
            // The task here is this test's own process: the backend answers only the processes of its task.
            String state = server.services().terraform().open(1, "probe", 1,
                    () -> java.util.stream.Stream.of(ProcessHandle.current()));
            assertThat(state).startsWith("http://127.0.0.1:").doesNotContain(":" + port + "/");
            HttpResponse<String> fromTask = get(HttpClient.newHttpClient(), state);
            assertThat(fromTask.statusCode()).as("the state of a task that has none yet").isIn(200, 204);
            String loopback = state.substring(0, state.indexOf("/api/"));
            assertThat(get(HttpClient.newHttpClient(), loopback + "/api/projects").statusCode()).isEqualTo(307);
            server.services().terraform().close(state);

            // A renewal writes new files; new connections get the new certificate within seconds.
            Files.copy(dir.resolve("second.key"), key, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("second.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 1000));
            String name = "";
            long deadline = System.currentTimeMillis() + 15_000;
            while (!name.equals("CN=second") && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                name = servedName(get(trusting(dir.resolve("first.crt"), dir.resolve("second.crt")),
                        "https://127.0.0.1:" + port + "/api/ping"));
            }
            assertThat(name).as("the renewed certificate, without a restart").isEqualTo("CN=second");
        }
    }

    private static String servedName(HttpResponse<?> response) throws Exception {
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0])
                .getSubjectX500Principal().getName();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A client that trusts only these certificates, and checks the name as any client does. */
    private static HttpClient trusting(Path... certificates) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (Path certificate : certificates) {
            try (InputStream in = Files.newInputStream(certificate)) {
                trusted.setCertificateEntry(certificate.getFileName().toString(),
                        CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static void makeCertificate(Path dir, String name) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString())
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(output).isZero();
    }
}
