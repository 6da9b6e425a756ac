package dev.semaphore.terraform;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.user.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's Terraform HTTP backend for people's own {@code terraform}: an alias (a random address) of a workspace
 * inventory's state, which a client opens with HTTP Basic against the alias' login/password key. An alias without
 * a key opens nothing: a state holds the secrets of what it describes.
 */
public final class TerraformAliases {
    /** An alias as listed; {@code url} is where a terraform backend block points. */
    public record Alias(long id, long projectId, long inventoryId, String alias, Long authKeyId, String url) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final EventLog events;
    private final AccessKeyService keys;
    private final String webHost;

    public TerraformAliases(Database db, EventLog events, AccessKeyService keys, String webHost) {
        this.db = db;
        this.events = events;
        this.keys = keys;
        this.webHost = webHost == null ? "" : webHost.replaceAll("/+$", "");
    }

    List<Alias> list(long projectId, long inventoryId, String base) {
        requireWorkspace(projectId, inventoryId);
        return db.read(h -> h.createQuery("SELECT id, project_id, inventory_id, alias, auth_key_id FROM terraform_aliases"
                        + " WHERE project_id = :p AND inventory_id = :i ORDER BY id")
                .bind("p", projectId).bind("i", inventoryId).map((rs, ctx) -> alias(rs, base)).list());
    }

    Alias get(long projectId, long inventoryId, long id, String base) {
        return list(projectId, inventoryId, base).stream().filter(a -> a.id() == id).findFirst()
                .orElseThrow(() -> ApiException.notFound("alias " + id + " not found"));
    }

    Alias create(User actor, long projectId, long inventoryId, Long authKeyId, String base) {
        requireWorkspace(projectId, inventoryId);
        requireLoginPassword(projectId, authKeyId);
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String alias = HexFormat.of().formatHex(bytes);
        long id = db.tx(h -> {
            long made = h.createUpdate("INSERT INTO terraform_aliases (project_id, inventory_id, alias, auth_key_id,"
                            + " created) VALUES (:p, :i, :a, :k, :now)")
                    .bind("p", projectId).bind("i", inventoryId).bind("a", alias).bind("k", authKeyId)
                    .bind("now", Times.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            events.record(h, actor.id(), projectId, ObjectType.INVENTORY, inventoryId, null,
                    "Terraform state alias " + made + " made for inventory " + inventoryId);
            return made;
        });
        return get(projectId, inventoryId, id, base);
    }

    void setKey(User actor, long projectId, long inventoryId, long id, Long authKeyId) {
        get(projectId, inventoryId, id, "");
        requireLoginPassword(projectId, authKeyId);
        db.txRun(h -> {
            h.createUpdate("UPDATE terraform_aliases SET auth_key_id = :k WHERE id = :id").bind("k", authKeyId)
                    .bind("id", id).execute();
            events.record(h, actor.id(), projectId, ObjectType.INVENTORY, inventoryId, null,
                    "Key of Terraform state alias " + id + " set");
        });
    }

    void delete(User actor, long projectId, long inventoryId, long id) {
        get(projectId, inventoryId, id, "");
        db.txRun(h -> {
            h.createUpdate("DELETE FROM terraform_aliases WHERE id = :id").bind("id", id).execute();
            events.record(h, actor.id(), projectId, ObjectType.INVENTORY, inventoryId, null,
                    "Terraform state alias " + id + " deleted");
        });
    }

    /**
     * The state an outside client's alias opens, when its HTTP Basic credentials are the alias key's; empty for an
     * alias this feature does not know. 401 for a known alias asked without the right credentials.
     */
    Optional<TerraformBackend.Session> open(String alias, String authorization) {
        Optional<long[]> found = db.read(h -> h.createQuery("SELECT project_id, inventory_id, auth_key_id"
                        + " FROM terraform_aliases WHERE alias = :a").bind("a", alias)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getObject(3) == null ? 0 : rs.getLong(3)})
                .findOne());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        long[] row = found.get();
        KeySecret secret;
        try {
            secret = row[2] == 0 ? null : keys.secret(row[0], row[2]);
        } catch (ApiException unusable) {
            secret = null;
        }
        if (!(secret instanceof KeySecret.LoginPassword key) || !basicMatches(authorization, key.login(), key.password())) {
            throw ApiException.unauthorized("this state address needs the login and password of its key");
        }
        return Optional.of(new TerraformBackend.Session(row[0], "inventory:" + row[1], null, null));
    }

    private static boolean basicMatches(String authorization, String login, String password) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, (login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void requireWorkspace(long projectId, long inventoryId) {
        String type = db.read(h -> h.createQuery("SELECT type FROM inventories WHERE project_id = :p AND id = :i")
                .bind("p", projectId).bind("i", inventoryId).mapTo(String.class).findOne())
                .orElseThrow(() -> ApiException.notFound("inventory " + inventoryId + " not found"));
        if (!type.endsWith("-workspace")) {
            throw ApiException.badRequest("inventory " + inventoryId + " is not a Terraform workspace (its type is "
                    + type + ")");
        }
    }

    private void requireLoginPassword(long projectId, Long keyId) {
        if (keyId == null) {
            return;
        }
        KeySecret secret;
        try {
            secret = keys.secret(projectId, keyId);
        } catch (ApiException e) {
            throw ApiException.badRequest("field 'auth_key_id': access key " + keyId + " not found in this project");
        }
        if (!(secret instanceof KeySecret.LoginPassword)) {
            throw ApiException.badRequest("field 'auth_key_id': the key of a state alias must be a login/password key"
                    + " (its login and password are what terraform sends)");
        }
    }

    private Alias alias(java.sql.ResultSet rs, String base) throws java.sql.SQLException {
        String alias = rs.getString("alias");
        String root = webHost.isEmpty() ? base : webHost;
        return new Alias(rs.getLong("id"), rs.getLong("project_id"), rs.getLong("inventory_id"), alias,
                rs.getObject("auth_key_id") == null ? null : rs.getLong("auth_key_id"), root + "/api/terraform/" + alias);
    }
}
