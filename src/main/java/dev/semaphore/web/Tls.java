package dev.semaphore.web;

import dev.semaphore.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's {@code tls.*}: HTTPS on the server's port with the certificate chain and private key of two
 * PEM files, read again within seconds when either changes (a renewed certificate needs no restart), and
 * optionally a plain-HTTP port that only redirects to HTTPS.
 */
public final class Tls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);
    private static final long CHECK_EVERY_MS = 2_000;
    /** The in-memory key store's; it never reaches a disk. */
    private static final String STORE_PASSWORD = "in-memory";

    private final Path certFile;
    private final Path keyFile;
    private final int redirectPort;
    private final SslContextFactory.Server ssl = new SslContextFactory.Server();
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tls-files").factory());
    private List<FileTime> seen;
    private volatile ServerConnector https;
    private volatile ServerConnector loopback;

    /** Reads the files now: a certificate or key that cannot be used stops the start, naming the file. */
    public Tls(Path certFile, Path keyFile, int redirectPort) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.redirectPort = redirectPort;
        this.seen = stamps();
        ssl.setKeyStore(keyStore());
        ssl.setKeyStorePassword(STORE_PASSWORD);
    }

    /** The HTTPS connector on {@code port} and, when asked for, the redirecting plain one. */
    void addConnectors(io.javalin.config.JettyConfig jetty, java.util.function.Supplier<String> hostOf,
                       java.util.function.IntSupplier portOf) {
        jetty.addConnector((server, http) -> {
            String host = hostOf.get();
            int port = portOf.getAsInt();
            HttpConfiguration https = new HttpConfiguration(http);
            https.setSecureScheme("https");
            https.setSecurePort(port);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Served by address as often as by name (probes, 127.0.0.1): the certificate's name is the client's check.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
            connector.setHost(host);
            connector.setPort(port);
            this.https = connector;
            return connector;
        });
        // Tasks on this machine reach the Terraform state backend in plain HTTP on loopback: Terraform
        // would not trust a certificate made out to the public name, and nothing else is served there.
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            this.loopback = connector;
            return connector;
        });
        if (redirectPort > 0) {
            jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(hostOf.get());
                connector.setPort(redirectPort);
                return connector;
            });
        }
        watcher.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** The loopback plain-HTTP port that serves only the Terraform state backend. */
    int loopbackPort() {
        return loopback.getLocalPort();
    }

    /** Whether a plain request may be served: a Terraform state request on the loopback port. */
    boolean servesPlain(int localPort, String path) {
        return loopback != null && localPort == loopback.getLocalPort() && path.contains("/api/terraform/");
    }

    /** Where a plain-HTTP request is sent: the same host and path on the HTTPS port. */
    String httpsUrl(String hostHeader, String path, String query) {
        String host = hostHeader == null ? "localhost" : hostHeader.replaceFirst(":\\d+$", "");
        int port = https.getLocalPort();
        return "https://" + host + (port == 443 ? "" : ":" + port) + path + (query == null ? "" : "?" + query);
    }

    private void reloadIfChanged() {
        List<FileTime> now = stamps();
        if (now.equals(seen)) {
            return;
        }
        try {
            KeyStore renewed = keyStore();
            ssl.reload(factory -> factory.setKeyStore(renewed));
            seen = now;
            LOG.info("TLS certificate read again from {}", certFile);
        } catch (Exception e) {
            // A renewal caught half-written is read at the next check; the certificate in use stays.
            LOG.warn("TLS certificate files changed but cannot be used (yet): {}", e.getMessage());
        }
    }

    private List<FileTime> stamps() {
        try {
            return List.of(Files.getLastModifiedTime(certFile), Files.getLastModifiedTime(keyFile));
        } catch (IOException e) {
            throw new ConfigException("tls: cannot read " + e.getMessage());
        }
    }

    private KeyStore keyStore() {
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile)))
                    .toArray(Certificate[]::new);
            if (chain.length == 0) {
                throw new ConfigException("tls.cert_file " + certFile + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey(), STORE_PASSWORD.toCharArray(), chain);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("tls.cert_file " + certFile + " cannot be used: " + e.getMessage());
        }
    }

    /** A PKCS#8 PEM key ("BEGIN PRIVATE KEY": what OpenSSL writes) of RSA, EC or Ed25519. */
    private PrivateKey privateKey() throws IOException {
        String pem = Files.readString(keyFile);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new ConfigException("tls.key_file " + keyFile + " must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE"
                    + " KEY); convert one with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new ConfigException("tls.key_file " + keyFile + " is not an RSA, EC or Ed25519 key");
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
