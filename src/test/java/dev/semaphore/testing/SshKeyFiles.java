package dev.semaphore.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real private keys made by OpenSSH's ssh-keygen, in the formats users paste into the key store. */
public final class SshKeyFiles {
    private SshKeyFiles() {
    }

    /** @param type ed25519, rsa, ...; @param pem true for the old PEM format; passphrase "" for none */
    public static String generate(String type, boolean pem, String passphrase) {
        try {
            Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "key");
            Path file = dir.resolve("id");
            List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase,
                    "-C", "test", "-f", file.toString()));
            if (type.equals("rsa")) {
                command.addAll(List.of("-b", "2048"));
            }
            if (pem) {
                command.addAll(List.of("-m", "PEM"));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("ssh-keygen failed: " + new String(process.getInputStream().readAllBytes()));
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("ssh-keygen is needed (openssh-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
