package dev.semaphore.hostconfig;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.resource.ProjectResources;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.user.User;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A project's credential mappings (upstream's host configs): a host mapping needs an SSH key; a url mapping takes
 * an SSH key or a login/password (then only for an https:// or http:// prefix, which it authenticates).
 */
public final class HostConfigService implements ProjectResources<HostConfig, HostConfigInput> {
    private final Database db;
    private final EventLog events;
    private final AccessKeyService keys;
    private final HostConfigStore store = new HostConfigStore();

    public HostConfigService(Database db, EventLog events, AccessKeyService keys, References references) {
        this.db = db;
        this.events = events;
        this.keys = keys;
        references.register(References.Target.KEY, "host_configs", store::usingKey);
    }

    @Override
    public HostConfigInput parse(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return HostConfigInput.parse(dev.semaphore.common.JsonBody.of(body));
    }

    @Override
    public List<HostConfig> list(long projectId, String sort, String order) {
        return db.read(h -> store.list(h, projectId));
    }

    @Override
    public HostConfig get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    @Override
    public HostConfig create(User actor, long projectId, HostConfigInput input) {
        requireKey(projectId, input);
        return db.tx(h -> {
            long id = store.insert(h, projectId, input);
            record(h, actor, projectId, id, input.host(), "created");
            return store.find(h, projectId, id).orElseThrow();
        });
    }

    @Override
    public void update(User actor, long projectId, long id, HostConfigInput input) {
        get(projectId, id);
        requireKey(projectId, input);
        db.txRun(h -> {
            store.update(h, id, input);
            record(h, actor, projectId, id, input.host(), "updated");
        });
    }

    @Override
    public void delete(User actor, long projectId, long id) {
        HostConfig current = get(projectId, id);
        db.txRun(h -> {
            store.delete(h, id);
            record(h, actor, projectId, id, current.host(), "deleted");
        });
    }

    @Override
    public Map<String, List<References.Ref>> refs(long projectId, long id) {
        get(projectId, id);
        return Map.of();
    }

    /** The mappings a task of the project uses, each with its key's secret (for the task's git and galaxy). */
    public List<Mapping> forTask(long projectId) {
        return list(projectId, null, null).stream().map(c -> {
            try {
                return new Mapping(c, keys.secret(projectId, c.sshKeyId()));
            } catch (ApiException unusable) {
                return null; // a key that cannot be used maps nothing; the clone says what failed
            }
        }).filter(java.util.Objects::nonNull).toList();
    }

    /** A mapping and its key's secret. */
    public record Mapping(HostConfig config, KeySecret secret) {
    }

    /** By the key's kind, not its secret: a key restored from a backup (its secret to be set) may be mapped. */
    private void requireKey(long projectId, HostConfigInput input) {
        String type;
        try {
            type = keys.get(projectId, input.sshKeyId()).type();
        } catch (ApiException e) {
            throw ApiException.badRequest("field 'ssh_key_id': access key " + input.sshKeyId()
                    + " not found in this project");
        }
        boolean ssh = type.equals("ssh");
        boolean login = type.equals("login_password");
        if (input.type().equals("host") && !ssh) {
            throw ApiException.badRequest("field 'ssh_key_id': a host mapping needs an SSH key");
        }
        if (input.type().equals("url") && !(ssh || (login && input.host().matches("https?://.*")))) {
            throw ApiException.badRequest("field 'ssh_key_id': a url mapping needs an SSH key, or a login/password"
                    + " for an https:// prefix");
        }
    }

    private void record(Handle h, User actor, long projectId, long id, String host, String what) {
        events.record(h, actor.id(), projectId, ObjectType.KEY, id, host, "Credential mapping " + host + " " + what);
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("host config " + id + " not found");
    }
}
