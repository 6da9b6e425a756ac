package dev.semaphore.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Build-time version facts, stamped into the jar by Maven resource filtering. */
public final class Version {
    private static final Properties PROPS = load();

    private Version() {
    }

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    /** The upstream Semaphore API version this build is compatible with. */
    public static String upstream() {
        return PROPS.getProperty("upstream", "unknown");
    }

    private static Properties load() {
        Properties props = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/semaphore/version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }
}
