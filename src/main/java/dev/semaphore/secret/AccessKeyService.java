package dev.semaphore.secret;

import dev.semaphore.resource.ProjectResources;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Sorting;
import dev.semaphore.common.Json;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.project.ProjectInitializer;
import dev.semaphore.user.User;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The key store: access keys with write-only, encrypted secrets, and refusal to delete keys in use. */
public final class AccessKeyService implements ProjectResources<AccessKey, KeyInput> {
    /** The column this feature keeps sealed with the keyring, for key changes. */
    public static final dev.semaphore.secret.SealedColumn SEALED =
            new dev.semaphore.secret.SealedColumn("access_keys", "id", "secret");

    private static final Map<String, String> SORT = Map.of("name", "name", "type", "type");

    private final Database db;
    private final EventLog events;
    private final Keyring keyring;
    private final References references;
    private final AccessKeyStore keys = new AccessKeyStore();

    public AccessKeyService(Database db, EventLog events, Keyring keyring, References references) {
        this.db = db;
        this.events = events;
        this.keyring = keyring;
        this.references = references;
    }

    /** Every project starts with a key named "None" of type none, as upstream. */
    public ProjectInitializer noneKey() {
        return (h, projectId) -> keys.insert(h, projectId, "None", KeyType.NONE, null, null, null);
    }

    @Override
    public KeyInput parse(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return KeyInput.parse(dev.semaphore.common.JsonBody.of(body));
    }

    @Override
    public List<AccessKey> list(long projectId, String sort, String order) {
        String orderBy = Sorting.orderBy(SORT, "name", sort, order);
        return db.read(h -> keys.list(h, projectId, orderBy)).stream().map(AccessKeyStore.Row::view).toList();
    }

    @Override
    public AccessKey get(long projectId, long id) {
        return db.read(h -> keys.find(h, projectId, id)).orElseThrow(() -> notFound(id)).view();
    }

    @Override
    public AccessKey create(User actor, long projectId, KeyInput input) {
        String unusable = input.validateSecret();
        String sealed = seal(input.secret());
        return db.tx(h -> {
            long id = keys.insert(h, projectId, input.name(), input.type(), input.login(), sealed, unusable);
            events.record(h, actor.id(), projectId, ObjectType.KEY, id, input.name(),
                    "Access Key " + input.name() + " created");
            return keys.find(h, projectId, id).orElseThrow().view();
        });
    }

    /**
     * A key restored from a backup, which never holds secrets: kept with its name and type, marked
     * unusable until someone gives it its secret (an update with {@code override_secret}).
     */
    public AccessKey createPlaceholder(User actor, long projectId, String name, String type) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw ApiException.badRequest("field 'name' is required, of at most 255 characters");
        }
        KeyType keyType = KeyType.fromWire(type).orElseThrow(() -> ApiException.badRequest(
                "field 'type' must be one of none, ssh, login_password, string"));
        String unusable = keyType == KeyType.NONE ? null : "restored from a backup without its secret; set it";
        return db.tx(h -> {
            long id = keys.insert(h, projectId, name, keyType, null, null, unusable);
            events.record(h, actor.id(), projectId, ObjectType.KEY, id, name,
                    "Access Key " + name + " restored (its secret must be set)");
            return keys.find(h, projectId, id).orElseThrow().view();
        });
    }

    /**
     * A key brought over from another database (an upstream import) inside the importer's
     * transaction: sealed with this server's key; {@code unusable} says why it cannot be used yet, if so.
     * An SSH key that cannot be read is kept and marked, as on create.
     */
    public long insertImported(org.jdbi.v3.core.Handle h, long projectId, String name, KeyType type, KeySecret secret,
                               String unusable) {
        String login = switch (secret) {
            case KeySecret.Ssh ssh -> ssh.login();
            case KeySecret.LoginPassword lp -> lp.login();
            default -> null;
        };
        String why = unusable;
        if (why == null && secret instanceof KeySecret.Ssh ssh) {
            why = ssh.privateKey() == null || ssh.privateKey().isBlank()
                    ? "imported without a private key; set one" : SshKeys.problem(ssh.privateKey(), ssh.passphrase());
        }
        boolean empty = secret instanceof KeySecret.None && type != KeyType.NONE;
        return keys.insert(h, projectId, name, type, login, empty ? null : seal(secret), why);
    }

    @Override
    public void update(User actor, long projectId, long id, KeyInput input) {
        String unusable = input.overrideSecret() ? input.validateSecret() : null;
        String sealed = input.overrideSecret() ? seal(input.secret()) : null;
        db.txRun(h -> {
            AccessKeyStore.Row current = keys.find(h, projectId, id).orElseThrow(() -> notFound(id));
            // Without override_secret a key keeps its type and secret, as upstream: only the name changes then.
            boolean keepType = !input.overrideSecret() && current.type() != input.type();
            keys.update(h, id, input.name(), keepType ? current.type() : input.type(),
                    keepType ? current.login() : input.login(), input.overrideSecret() ? sealed : current.secret(),
                    input.overrideSecret() ? unusable : current.unusable());
            events.record(h, actor.id(), projectId, ObjectType.KEY, id, input.name(),
                    "Access Key " + input.name() + " updated");
        });
    }

    @Override
    public void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            AccessKeyStore.Row current = keys.find(h, projectId, id).orElseThrow(() -> notFound(id));
            references.requireUnused(h, References.Target.KEY, projectId, id, "access key " + current.name());
            keys.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.KEY, id, current.name(),
                    "Access Key " + current.name() + " deleted");
        });
    }

    @Override
    public Map<String, List<References.Ref>> refs(long projectId, long id) {
        return db.read(h -> {
            keys.find(h, projectId, id).orElseThrow(() -> notFound(id));
            return references.find(h, References.Target.KEY, projectId, id);
        });
    }

    /** Whether a key of this project exists, for features that point at keys (inside their transaction). */
    public boolean exists(org.jdbi.v3.core.Handle h, long projectId, long id) {
        return keys.find(h, projectId, id).isPresent();
    }

    /** The decrypted secret of a key, for the task engine; never for an API response. */
    public KeySecret secret(long projectId, long id) {
        AccessKeyStore.Row row = db.read(h -> keys.find(h, projectId, id)).orElseThrow(() -> notFound(id));
        if (row.unusable() != null) {
            throw ApiException.badRequest("the key " + row.name() + " cannot be used: " + row.unusable());
        }
        if (row.type() == KeyType.NONE || row.secret() == null) {
            return new KeySecret.None();
        }
        Map<String, String> fields = unseal(row.secret());
        return switch (row.type()) {
            case SSH -> new KeySecret.Ssh(row.login(), fields.get("passphrase"), fields.get("private_key"));
            case LOGIN_PASSWORD -> new KeySecret.LoginPassword(row.login(), fields.get("password"));
            case STRING -> new KeySecret.Text(fields.get("string"));
            case NONE -> new KeySecret.None();
        };
    }

    private String seal(KeySecret secret) {
        Map<String, String> fields = new LinkedHashMap<>();
        switch (secret) {
            case KeySecret.Ssh ssh -> {
                fields.put("passphrase", ssh.passphrase() == null ? "" : ssh.passphrase());
                fields.put("private_key", ssh.privateKey());
            }
            case KeySecret.LoginPassword lp -> fields.put("password", lp.password());
            case KeySecret.Text text -> fields.put("string", text.value());
            case KeySecret.None none -> {
                return null;
            }
        }
        try {
            return keyring.encrypt(Json.mapper().writeValueAsString(fields));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> unseal(String stored) {
        try {
            return Json.mapper().readValue(keyring.decrypt(stored),
                    Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, String.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("access key " + id + " not found");
    }
}
