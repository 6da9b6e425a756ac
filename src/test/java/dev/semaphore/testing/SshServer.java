package dev.semaphore.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a free loopback port, run from a private config so it lets in exactly
 * one key (generated here) for the user running the tests. It stands for a git host or a machine
 * ansible manages; it runs until the test JVM exits.
 */
public final class SshServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String privateKey;

    private SshServer(Process process, int port, String privateKey) {
        this.process = process;
        this.port = port;
        this.privateKey = privateKey;
    }

    public static SshServer start() {
        try {
            Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "sshd");
            keygen(dir.resolve("host_key"));
            keygen(dir.resolve("client_key"));
            Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
            int port = LocalService.freePort();
            Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "Port " + port,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + dir.resolve("host_key"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    "StrictModes no",
                    "UsePAM no",
                    "PidFile none",
                    "Subsystem sftp internal-sftp",
                    ""));
            Files.createDirectories(Path.of("/run/sshd"));
            Process process = LocalService.start(new ProcessBuilder(sshd(), "-D", "-e", "-f",
                    dir.resolve("sshd_config").toString()), port, dir.resolve("sshd.log"), Duration.ofSeconds(10), "sshd");
            return new SshServer(process, port, Files.readString(dir.resolve("client_key")));
        } catch (IOException e) {
            throw new IllegalStateException("sshd is needed (openssh-server)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sshd() {
        for (String candidate : List.of("/usr/sbin/sshd", "/usr/bin/sshd")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("sshd is needed (openssh-server)");
    }

    private static void keygen(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f",
                file.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }

    public int port() {
        return port;
    }

    /** The one private key this server accepts (OpenSSH format). */
    public String privateKey() {
        return privateKey;
    }

    /** The user the key logs in as: whoever runs the tests. */
    public static String user() {
        return System.getProperty("user.name");
    }

    @Override
    public void close() {
        process.destroy();
    }
}
