package dev.semaphore.runner.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.app.Apps;
import dev.semaphore.common.Json;
import dev.semaphore.common.Version;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.task.job.StateBackend;
import dev.semaphore.task.local.LocalExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * What {@code semaphore runner register|start|unregister} do with a runner's configuration (upstream's
 * {@code runner.*} keys, the server at {@code web_host}): register and keep the token, make the RSA key
 * the server encrypts jobs to, build the agent.
 */
public final class RunnerSetup {
    private RunnerSetup() {
    }

    /** Registers with the server; the token goes to {@code runner.token_file}, or is returned to be set as {@code runner.token}. */
    public static String register(Config config) throws IOException, InterruptedException {
        String registration = config.string(ConfigKeys.RUNNER_OWN_REGISTRATION_TOKEN);
        if (registration.isBlank()) {
            throw new IllegalArgumentException("runner.registration_token (SEMAPHORE_RUNNER_REGISTRATION_TOKEN) is needed"
                    + " to register");
        }
        ObjectNode body = Json.mapper().createObjectNode().put("registration_token", registration.strip())
                .put("webhook", config.string(ConfigKeys.RUNNER_WEBHOOK))
                .put("max_parallel_tasks", config.integer(ConfigKeys.RUNNER_MAX_PARALLEL_TASKS))
                .put("name", config.string(ConfigKeys.RUNNER_NAME));
        String tags = config.string(ConfigKeys.RUNNER_TAGS);
        if (!tags.isBlank()) {
            var list = body.putArray("tags");
            for (String tag : tags.split(",")) {
                if (!tag.isBlank()) {
                    list.add(tag.strip());
                }
            }
        }
        String keyFile = config.string(ConfigKeys.RUNNER_PRIVATE_KEY_FILE);
        if (!keyFile.isBlank()) {
            body.put("public_key", publicKeyPem(privateKey(Path.of(keyFile), true)));
        }
        String token = client(config, null).register(body);
        String tokenFile = config.string(ConfigKeys.RUNNER_TOKEN_FILE);
        if (!tokenFile.isBlank()) {
            writePrivate(Path.of(tokenFile), token);
        }
        return token;
    }

    public static RunnerAgent agent(Config config) throws IOException {
        Path tmp = Path.of(config.string(ConfigKeys.TMP_PATH));
        Files.createDirectories(tmp);
        LocalExecutor executor = new LocalExecutor(tmp, StateBackend.NONE, new Apps(config.map(ConfigKeys.APPS)),
                dev.semaphore.execution.ProcessIsolation.of(config), LocalExecutor.limits(config));
        return new RunnerAgent(client(config, token(config)), executor, new RunnerAgent.Settings(tmp,
                config.integer(ConfigKeys.RUNNER_MAX_PARALLEL_TASKS), config.bool(ConfigKeys.RUNNER_ONE_OFF),
                config.string(ConfigKeys.WEB_HOST), config.integer(ConfigKeys.MAX_OUTPUT_LINE_LENGTH),
                config.integer(ConfigKeys.CONFIRMATION_TIMEOUT_SEC)));
    }

    public static void unregister(Config config) throws IOException, InterruptedException {
        client(config, token(config)).unregister();
        String tokenFile = config.string(ConfigKeys.RUNNER_TOKEN_FILE);
        if (!tokenFile.isBlank()) {
            Files.deleteIfExists(Path.of(tokenFile));
        }
    }

    /** Whether this runner has a token already (set, or in its token file). */
    public static boolean registered(Config config) {
        try {
            return token(config) != null;
        } catch (IllegalArgumentException none) {
            return false;
        }
    }

    private static String token(Config config) {
        String token = config.string(ConfigKeys.RUNNER_TOKEN);
        String tokenFile = config.string(ConfigKeys.RUNNER_TOKEN_FILE);
        if (token.isBlank() && !tokenFile.isBlank() && Files.isRegularFile(Path.of(tokenFile))) {
            try {
                token = Files.readString(Path.of(tokenFile)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("runner.token_file " + tokenFile + " cannot be read: " + e.getMessage());
            }
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("this runner has no token: register it (semaphore runner register), or"
                    + " set runner.token or runner.token_file");
        }
        return token;
    }

    private static RunnerClient client(Config config, String token) throws IOException {
        String server = config.string(ConfigKeys.WEB_HOST);
        if (server.isBlank()) {
            throw new IllegalArgumentException("web_host (SEMAPHORE_WEB_ROOT) must name the server this runner works for");
        }
        String keyFile = config.string(ConfigKeys.RUNNER_PRIVATE_KEY_FILE);
        PrivateKey key = keyFile.isBlank() || !Files.isRegularFile(Path.of(keyFile)) ? null
                : privateKey(Path.of(keyFile), false);
        return new RunnerClient(server, token, key, "semaphore-java/" + Version.version());
    }

    /** The runner's RSA key (PKCS#8 PEM), made (2048 bits, file 0600) when {@code create} and absent. */
    private static PrivateKey privateKey(Path file, boolean create) throws IOException {
        try {
            if (!Files.isRegularFile(file)) {
                if (!create) {
                    throw new IllegalArgumentException("runner.private_key_file " + file + " does not exist");
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                writePrivate(file, "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
                return pair.getPrivate();
            }
            String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("runner.private_key_file " + file + " is not an RSA private key (PKCS#8 PEM): "
                    + e.getMessage(), e);
        }
    }

    /** The public half as upstream's runners send it: PKCS#1 under a "PUBLIC KEY" header. */
    private static String publicKeyPem(PrivateKey key) throws IOException {
        try {
            var crt = (java.security.interfaces.RSAPrivateCrtKey) key;
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            byte[] der = sequence(integer(pub.getModulus()), integer(pub.getPublicExponent()));
            return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("the runner's key is not an RSA key", e);
        }
    }

    private static byte[] integer(BigInteger value) {
        return tagged(0x02, value.toByteArray());
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tagged(0x30, content.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] digits = BigInteger.valueOf(length).toByteArray();
            int skip = digits[0] == 0 ? 1 : 0;
            out.write(0x80 | (digits.length - skip));
            out.write(digits, skip, digits.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static void writePrivate(Path file, String text) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }
}
