package dev.semaphore.secret;

import dev.semaphore.common.Secrets;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyring from {@code access_key_encryption}. A server started without one (the zero-config
 * SQLite start) still never stores a secret in clear: it generates a key once into
 * {@code <data dir>/access_key_encryption.key} (mode 0600) and says so in the log.
 */
public final class KeyringLoader {
    private static final Logger LOG = LoggerFactory.getLogger(KeyringLoader.class);
    static final String KEY_FILE = "access_key_encryption.key";

    private KeyringLoader() {
    }

    public static Keyring load(Config config) {
        List<byte[]> old = java.util.Arrays.stream(config.string(ConfigKeys.ACCESS_KEY_ENCRYPTION_OLD).split(","))
                .map(String::strip).filter(k -> !k.isEmpty()).map(k -> Base64.getDecoder().decode(k)).toList();
        String configured = config.string(ConfigKeys.ACCESS_KEY_ENCRYPTION);
        if (!configured.isEmpty()) {
            return new Keyring(Base64.getDecoder().decode(configured), old);
        }
        Path file = dataDirectory(config).resolve(KEY_FILE);
        return new Keyring(readOrCreate(file), old);
    }

    private static Path dataDirectory(Config config) {
        if ("sqlite".equals(config.dialect())) {
            Path parent = Path.of(config.string(ConfigKeys.DB_HOST)).toAbsolutePath().getParent();
            if (parent != null) {
                return parent;
            }
        }
        return Path.of("data").toAbsolutePath();
    }

    private static byte[] readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).strip());
            }
            Files.createDirectories(file.getParent());
            String key = Secrets.base64(32);
            Files.writeString(file, key + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system.
            }
            LOG.warn("access_key_encryption is not set: generated a key into {}; keep that file with the database, "
                    + "or set access_key_encryption to its content", file);
            return Base64.getDecoder().decode(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret key file " + file, e);
        }
    }
}
