package dev.semaphore.environment;

import dev.semaphore.resource.ProjectResources;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Sorting;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.secret.Keyring;
import dev.semaphore.user.User;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Variable groups: extra variables, environment variables and write-only secrets (encrypted like
 * access keys). Secrets change through create/update/delete operations, as upstream's API has it.
 */
public final class EnvironmentService implements ProjectResources<Environment, EnvironmentInput> {
    /** The column this feature keeps sealed with the keyring, for key changes. */
    public static final dev.semaphore.secret.SealedColumn SEALED =
            new dev.semaphore.secret.SealedColumn("environment_secrets", "id", "secret");

    private static final Map<String, String> SORT = Map.of("name", "name");

    private final Database db;
    private final EventLog events;
    private final Keyring keyring;
    private final References references;
    private final EnvironmentStore store = new EnvironmentStore();

    public EnvironmentService(Database db, EventLog events, Keyring keyring, References references) {
        this.db = db;
        this.events = events;
        this.keyring = keyring;
        this.references = references;
    }

    /**
     * A secret brought over from another database (an upstream import), inside the importer's
     * transaction, sealed with this server's key. {@code type} is "var" or "env".
     */
    public void insertImportedSecret(org.jdbi.v3.core.Handle h, long environmentId, String name, String type,
                                     String secret) {
        store.insertSecret(h, environmentId, name, type, keyring.encrypt(secret));
    }

    /** Every project starts with upstream's "Empty" variable group, which clients create templates with. */
    public dev.semaphore.project.ProjectInitializer emptyGroup() {
        return (h, projectId) -> store.insert(h, projectId, new EnvironmentInput("Empty", "{}", "{}", List.of()));
    }

    @Override
    public EnvironmentInput parse(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return EnvironmentInput.parse(dev.semaphore.common.JsonBody.of(body), body.toString());
    }

    @Override
    public List<Environment> list(long projectId, String sort, String order) {
        String orderBy = Sorting.orderBy(SORT, "name", sort, order);
        return db.read(h -> store.list(h, projectId, orderBy).stream()
                .map(row -> view(h, row)).toList());
    }

    @Override
    public Environment get(long projectId, long id) {
        return db.read(h -> view(h, store.find(h, projectId, id).orElseThrow(() -> notFound(id))));
    }

    public boolean exists(Handle h, long projectId, long id) {
        return store.find(h, projectId, id).isPresent();
    }

    /** Decrypted secrets by name, for the task engine; never for an API response. */
    public Map<String, String> secretValues(long projectId, long id, String type) {
        return db.read(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            Map<String, String> values = new LinkedHashMap<>();
            store.secrets(h, id).stream().filter(s -> s.type().equals(type))
                    .forEach(s -> values.put(s.name(), keyring.decrypt(s.secret())));
            return values;
        });
    }

    @Override
    public Environment create(User actor, long projectId, EnvironmentInput input) {
        return db.tx(h -> {
            long id = store.insert(h, projectId, input);
            applySecrets(h, id, input.secrets());
            events.record(h, actor.id(), projectId, ObjectType.ENVIRONMENT, id, input.name(),
                    "Environment " + input.name() + " created");
            return view(h, store.find(h, projectId, id).orElseThrow());
        });
    }

    @Override
    public void update(User actor, long projectId, long id, EnvironmentInput input) {
        db.txRun(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            store.update(h, id, input);
            applySecrets(h, id, input.secrets());
            events.record(h, actor.id(), projectId, ObjectType.ENVIRONMENT, id, input.name(),
                    "Environment " + input.name() + " updated");
        });
    }

    @Override
    public void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            EnvironmentStore.Row current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            references.requireUnused(h, References.Target.ENVIRONMENT, projectId, id, "environment " + current.name());
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.ENVIRONMENT, id, current.name(),
                    "Environment " + current.name() + " deleted");
        });
    }

    @Override
    public Map<String, List<References.Ref>> refs(long projectId, long id) {
        return db.read(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            return references.find(h, References.Target.ENVIRONMENT, projectId, id);
        });
    }

    private void applySecrets(Handle h, long environmentId, List<EnvironmentInput.SecretChange> changes) {
        Map<Long, EnvironmentStore.SecretRow> existing = new LinkedHashMap<>();
        store.secrets(h, environmentId).forEach(s -> existing.put(s.id(), s));
        for (EnvironmentInput.SecretChange change : changes) {
            switch (change.operation()) {
                case CREATE -> store.insertSecret(h, environmentId, change.name(), change.type(),
                        keyring.encrypt(change.secret()));
                case UPDATE -> {
                    EnvironmentStore.SecretRow old = owned(existing, change.id());
                    // Empty means unchanged, as upstream: an edit that does not retype the value keeps it.
                    String sealed = change.secret() == null || change.secret().isEmpty() ? old.secret()
                            : keyring.encrypt(change.secret());
                    store.updateSecret(h, old.id(), change.name(), change.type(), sealed);
                }
                case DELETE -> store.deleteSecret(h, owned(existing, change.id()).id());
            }
        }
        Set<String> seen = new HashSet<>();
        for (EnvironmentStore.SecretRow secret : store.secrets(h, environmentId)) {
            if (!seen.add(secret.type() + ":" + secret.name())) {
                throw ApiException.badRequest("field 'secrets': two " + secret.type() + " secrets are named "
                        + secret.name());
            }
        }
    }

    private static EnvironmentStore.SecretRow owned(Map<Long, EnvironmentStore.SecretRow> existing, Long id) {
        EnvironmentStore.SecretRow row = existing.get(id);
        if (row == null) {
            throw ApiException.badRequest("field 'secrets': secret " + id + " does not belong to this environment");
        }
        return row;
    }

    private Environment view(Handle h, EnvironmentStore.Row row) {
        List<Environment.SecretName> secrets = store.secrets(h, row.id()).stream()
                .map(s -> new Environment.SecretName(s.id(), s.name(), s.type())).toList();
        return new Environment(row.id(), row.name(), row.projectId(), row.json(), row.env(), null, secrets);
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("environment " + id + " not found");
    }
}
