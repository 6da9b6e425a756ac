package dev.semaphore.cli;

import dev.semaphore.Services;
import dev.semaphore.secret.Vault;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code semaphore vault check|rekey}: which keys seal the stored secrets, and moving them all to the configured one. */
@Command(name = "vault", aliases = "vaults", description = "Check and change the key stored secrets are sealed with.",
        subcommands = {VaultCommand.Check.class, VaultCommand.Rekey.class})
final class VaultCommand {
    @ParentCommand
    SemaphoreCommand root;

    @Command(name = "check", description = "Count the stored secrets per key id; fails when a key is missing.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        VaultCommand parent;

        @Override
        public Integer call() {
            try (Services services = parent.root.openServices()) {
                Vault.Usage usage = services.vault().check();
                String active = services.vault().activeKeyId();
                usage.perKey().forEach((id, count) -> System.out.println(id + ": " + count + " secret(s)"
                        + (id.equals(active) ? " (the configured access_key_encryption)" : "")
                        + (usage.missing().contains(id) ? " (NO CONFIGURED KEY OPENS THESE)" : "")));
                if (usage.perKey().isEmpty()) {
                    System.out.println("no stored secrets");
                }
                return usage.missing().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "rekey", description = "Re-seal every stored secret with access_key_encryption, in one transaction.")
    static final class Rekey implements Callable<Integer> {
        @ParentCommand
        VaultCommand parent;

        @Option(names = "--old-key", description = "The key (base64) secrets are sealed with now; "
                + "access_key_encryption_old is used as well.")
        String oldKey;

        @Option(names = "--backup", description = "A new file that first receives every old ciphertext (JSON lines).")
        Path backup;

        @Override
        public Integer call() throws Exception {
            List<byte[]> old;
            try {
                old = oldKey == null ? List.of() : List.of(Base64.getDecoder().decode(oldKey.strip()));
            } catch (IllegalArgumentException e) {
                throw new CliException("--old-key must be base64");
            }
            try (Services services = parent.root.openServices()) {
                Vault vault = services.vault().withOldKeys(old);
                Vault.Usage before = vault.check();
                if (!before.missing().isEmpty()) {
                    throw new CliException("no key given opens the secrets sealed with key id(s) "
                            + String.join(", ", before.missing()) + "; pass it with --old-key");
                }
                int changed = vault.rekey(backup);
                System.out.println(changed + " secret(s) re-sealed with key id " + vault.activeKeyId()
                        + (backup == null ? "" : "; their old form is in " + backup));
            }
            return 0;
        }
    }
}
