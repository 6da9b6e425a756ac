package dev.semaphore.testing;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real OpenLDAP {@code slapd} (Debian's) on free loopback ports, plain (with StartTLS) and LDAPS, with
 * a certificate from a CA made here for 127.0.0.1 and localhost. Its tree: {@code dc=example,dc=org} with
 * {@code ou=people}, {@code ou=contractors} and {@code ou=groups}; a service account
 * {@code cn=reader,dc=example,dc=org} may read it. It runs until the test JVM exits.
 */
public final class Slapd implements AutoCloseable {
    public static final String BASE = "dc=example,dc=org";
    public static final String ROOT_DN = "cn=admin," + BASE;
    public static final String ROOT_PASSWORD = "root secret";
    public static final String READER_DN = "cn=reader," + BASE;
    public static final String READER_PASSWORD = "reader secret";

    private final Process process;
    private final int port;
    private final int tlsPort;
    private final Path caFile;

    private Slapd(Process process, int port, int tlsPort, Path caFile) {
        this.process = process;
        this.port = port;
        this.tlsPort = tlsPort;
        this.caFile = caFile;
    }

    public static Slapd start() {
        Path slapd = Path.of("/usr/sbin/slapd");
        if (!Files.isExecutable(slapd)) {
            throw new IllegalStateException("slapd is needed (Debian package slapd; .ci/run installs it)");
        }
        try {
            Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "slapd");
            Files.createDirectories(dir.resolve("data"));
            Path ca = certificates(dir);
            int port = LocalService.freePort();
            int tlsPort = LocalService.freePort();
            Files.writeString(dir.resolve("slapd.conf"), String.join("\n",
                    "include /etc/ldap/schema/core.schema",
                    "include /etc/ldap/schema/cosine.schema",
                    "include /etc/ldap/schema/nis.schema",
                    "include /etc/ldap/schema/inetorgperson.schema",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "pidfile " + dir.resolve("slapd.pid"),
                    "TLSCACertificateFile " + ca,
                    "TLSCertificateFile " + dir.resolve("server.pem"),
                    "TLSCertificateKeyFile " + dir.resolve("server.key"),
                    "database mdb",
                    "maxsize 10485760",
                    "suffix \"" + BASE + "\"",
                    "rootdn \"" + ROOT_DN + "\"",
                    "rootpw \"" + ROOT_PASSWORD + "\"",
                    "directory " + dir.resolve("data"),
                    "access to attrs=userPassword by anonymous auth by self write by * none",
                    "access to * by dn.exact=\"" + READER_DN + "\" read by self read by * none",
                    ""));
            Process process = LocalService.start(new ProcessBuilder(slapd.toString(), "-d", "0", "-f",
                    dir.resolve("slapd.conf").toString(), "-h", "ldap://127.0.0.1:" + port + "/ ldaps://127.0.0.1:"
                    + tlsPort + "/"), port, dir.resolve("slapd.log"), Duration.ofSeconds(15), "slapd");
            Slapd server = new Slapd(process, port, tlsPort, ca);
            server.seed();
            return server;
        } catch (IOException | LDAPException e) {
            throw new IllegalStateException("slapd did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code host:port} of the plain listener (StartTLS is offered on it). */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** {@code host:port} of the LDAPS listener. */
    public String tlsAddress() {
        return "127.0.0.1:" + tlsPort;
    }

    /** PEM of the CA that signed the server's certificate. */
    public Path caFile() {
        return caFile;
    }

    /** Adds a person under {@code ou} (people or contractors) with a password, and puts them in groups. */
    public String addPerson(String ou, String uid, String name, String mail, String password, String... groups) {
        String dn = "uid=" + uid + ",ou=" + ou + "," + BASE;
        try (LDAPConnection c = admin()) {
            c.add(new Entry(dn,
                    new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "person", "organizationalPerson",
                            "inetOrgPerson"),
                    new com.unboundid.ldap.sdk.Attribute("uid", uid),
                    new com.unboundid.ldap.sdk.Attribute("cn", name),
                    new com.unboundid.ldap.sdk.Attribute("sn", name),
                    new com.unboundid.ldap.sdk.Attribute("mail", mail),
                    new com.unboundid.ldap.sdk.Attribute("userPassword", password)));
            for (String group : groups) {
                addToGroup(c, group, dn);
            }
            return dn;
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    public void removeFromGroup(String group, String dn) {
        try (LDAPConnection c = admin()) {
            c.modify("cn=" + group + ",ou=groups," + BASE, new Modification(ModificationType.DELETE, "member", dn));
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    public void addToGroup(String group, String dn) {
        try (LDAPConnection c = admin()) {
            addToGroup(c, group, dn);
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addToGroup(LDAPConnection c, String group, String dn) throws LDAPException {
        String groupDn = "cn=" + group + ",ou=groups," + BASE;
        if (c.getEntry(groupDn) == null) {
            c.add(new Entry(groupDn, new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "groupOfNames"),
                    new com.unboundid.ldap.sdk.Attribute("cn", group),
                    // groupOfNames must keep a member: the service account stays in every group.
                    new com.unboundid.ldap.sdk.Attribute("member", READER_DN, dn)));
        } else {
            c.modify(groupDn, new Modification(ModificationType.ADD, "member", dn));
        }
    }

    private LDAPConnection admin() throws LDAPException {
        return new LDAPConnection("127.0.0.1", port, ROOT_DN, ROOT_PASSWORD);
    }

    private void seed() throws LDAPException {
        try (LDAPConnection c = admin()) {
            c.add(new Entry(BASE, new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "dcObject", "organization"),
                    new com.unboundid.ldap.sdk.Attribute("dc", "example"),
                    new com.unboundid.ldap.sdk.Attribute("o", "Example")));
            c.add(new Entry(READER_DN, new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "person"),
                    new com.unboundid.ldap.sdk.Attribute("cn", "reader"), new com.unboundid.ldap.sdk.Attribute("sn", "reader"),
                    new com.unboundid.ldap.sdk.Attribute("userPassword", READER_PASSWORD)));
            for (String ou : List.of("people", "contractors", "groups")) {
                c.add(new Entry("ou=" + ou + "," + BASE,
                        new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "organizationalUnit"),
                        new com.unboundid.ldap.sdk.Attribute("ou", ou)));
            }
        }
    }

    /** A CA and a server certificate for 127.0.0.1 and localhost, made with openssl. */
    private static Path certificates(Path dir) throws IOException, InterruptedException {
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Test LDAP CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
                "-out", "server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem");
        return dir.resolve("ca.pem");
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + Files.readString(dir.resolve("openssl.log")));
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
