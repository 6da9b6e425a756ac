package dev.semaphore.integration;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Secrets;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.task.TaskService;
import dev.semaphore.user.User;
import java.util.List;
import java.util.Map;

/** Integrations of a project: their definitions, matchers, extracted values, aliases and recorded deliveries. */
public final class IntegrationService {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Database db;
    private final EventLog events;
    private final AccessKeyService keys;
    private final TaskService tasks;
    private final References references;
    private final IntegrationStore store = new IntegrationStore();
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public IntegrationService(Database db, EventLog events, AccessKeyService keys, TaskService tasks,
                              References references) {
        this.db = db;
        this.events = events;
        this.keys = keys;
        this.tasks = tasks;
        this.references = references;
        references.register(References.Target.TEMPLATE, "integrations", store::usingTemplate);
        references.register(References.Target.KEY, "integrations", store::usingKey);
    }

    /** Told after every change, so that what the receiver keeps of integrations is read again. */
    void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    public List<Integration> list(long projectId) {
        return db.read(h -> store.ofProject(h, projectId));
    }

    Integration get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    Integration create(User actor, long projectId, IntegrationInput.Fields input) {
        check(projectId, input);
        Integration created = db.tx(h -> {
            long id = store.insert(h, projectId, input, Times.now());
            events.record(h, actor.id(), projectId, ObjectType.INTEGRATION, id, input.name(),
                    "Integration " + input.name() + " created");
            return store.find(h, projectId, id).orElseThrow();
        });
        changed();
        return created;
    }

    void update(User actor, long projectId, long id, IntegrationInput.Fields input) {
        check(projectId, input);
        db.txRun(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            store.update(h, id, input);
            events.record(h, actor.id(), projectId, ObjectType.INTEGRATION, id, input.name(),
                    "Integration " + input.name() + " updated");
        });
        changed();
    }

    void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            Integration current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.INTEGRATION, id, current.name(),
                    "Integration " + current.name() + " deleted");
        });
        changed();
    }

    /** Nothing refers to an integration; upstream's empty lists, for clients that ask. */
    Map<String, List<References.Ref>> refs(long projectId, long id) {
        get(projectId, id);
        return db.read(h -> references.find(h, References.Target.INTEGRATION, projectId, id));
    }

    public List<Matcher> matchers(long projectId, long integrationId) {
        get(projectId, integrationId);
        return db.read(h -> store.matchers(h, integrationId));
    }

    Matcher matcher(long projectId, long integrationId, long id) {
        get(projectId, integrationId);
        return db.read(h -> store.matcher(h, integrationId, id))
                .orElseThrow(() -> ApiException.notFound("matcher " + id + " not found"));
    }

    Matcher addMatcher(User actor, long projectId, long integrationId, IntegrationInput.MatcherFields input) {
        Integration integration = get(projectId, integrationId);
        Matcher created = db.tx(h -> {
            long id = store.insertMatcher(h, integrationId, input);
            record(h, actor, integration, "matcher " + label(input.name(), id) + " added");
            return store.matcher(h, integrationId, id).orElseThrow();
        });
        changed();
        return created;
    }

    void updateMatcher(User actor, long projectId, long integrationId, long id, IntegrationInput.MatcherFields input) {
        Integration integration = get(projectId, integrationId);
        db.txRun(h -> {
            store.matcher(h, integrationId, id).orElseThrow(() -> ApiException.notFound("matcher " + id + " not found"));
            store.updateMatcher(h, id, input);
            record(h, actor, integration, "matcher " + label(input.name(), id) + " updated");
        });
        changed();
    }

    void deleteMatcher(User actor, long projectId, long integrationId, long id) {
        Integration integration = get(projectId, integrationId);
        db.txRun(h -> {
            Matcher current = store.matcher(h, integrationId, id)
                    .orElseThrow(() -> ApiException.notFound("matcher " + id + " not found"));
            store.deleteMatcher(h, id);
            record(h, actor, integration, "matcher " + label(current.name(), id) + " deleted");
        });
        changed();
    }

    public List<ExtractValue> values(long projectId, long integrationId) {
        get(projectId, integrationId);
        return db.read(h -> store.values(h, integrationId));
    }

    ExtractValue value(long projectId, long integrationId, long id) {
        get(projectId, integrationId);
        return db.read(h -> store.value(h, integrationId, id))
                .orElseThrow(() -> ApiException.notFound("extracted value " + id + " not found"));
    }

    ExtractValue addValue(User actor, long projectId, long integrationId, IntegrationInput.ValueFields input) {
        Integration integration = get(projectId, integrationId);
        ExtractValue created = db.tx(h -> {
            long id = store.insertValue(h, integrationId, input);
            record(h, actor, integration, "extracted value " + input.variable() + " added");
            return store.value(h, integrationId, id).orElseThrow();
        });
        changed();
        return created;
    }

    void updateValue(User actor, long projectId, long integrationId, long id, IntegrationInput.ValueFields input) {
        Integration integration = get(projectId, integrationId);
        db.txRun(h -> {
            store.value(h, integrationId, id)
                    .orElseThrow(() -> ApiException.notFound("extracted value " + id + " not found"));
            store.updateValue(h, id, input);
            record(h, actor, integration, "extracted value " + input.variable() + " updated");
        });
        changed();
    }

    void deleteValue(User actor, long projectId, long integrationId, long id) {
        Integration integration = get(projectId, integrationId);
        db.txRun(h -> {
            ExtractValue current = store.value(h, integrationId, id)
                    .orElseThrow(() -> ApiException.notFound("extracted value " + id + " not found"));
            store.deleteValue(h, id);
            record(h, actor, integration, "extracted value " + current.variable() + " deleted");
        });
        changed();
    }

    /** A project's aliases ({@code integrationId} null) or an integration's. */
    List<IntegrationStore.Alias> aliases(long projectId, Long integrationId) {
        if (integrationId != null) {
            get(projectId, integrationId);
        }
        return db.read(h -> store.aliases(h, projectId, integrationId));
    }

    /** The alias strings of the project ({@code integrationId} null) or of an integration, for backups. */
    public List<String> aliasNames(long projectId, Long integrationId) {
        return aliases(projectId, integrationId).stream().map(IntegrationStore.Alias::alias).toList();
    }

    /** Creates from requests as the API takes them (for restoring a backup). */
    public Integration create(User actor, long projectId, com.fasterxml.jackson.databind.node.ObjectNode body) {
        return create(actor, projectId, IntegrationInput.integration(dev.semaphore.common.JsonBody.of(body), body));
    }

    public void addMatcher(User actor, long projectId, long integrationId,
                           com.fasterxml.jackson.databind.node.ObjectNode body) {
        addMatcher(actor, projectId, integrationId, IntegrationInput.matcher(dev.semaphore.common.JsonBody.of(body)));
    }

    public void addValue(User actor, long projectId, long integrationId,
                         com.fasterxml.jackson.databind.node.ObjectNode body) {
        addValue(actor, projectId, integrationId, IntegrationInput.value(dev.semaphore.common.JsonBody.of(body)));
    }

    /** Restores an alias as it was, so callers' URLs keep working, unless this server has it already. */
    public void restoreAlias(User actor, long projectId, Long integrationId, String alias) {
        boolean free = alias != null && alias.matches("[A-Za-z0-9]{8,64}")
                && db.read(h -> store.target(h, alias)).isEmpty();
        addAlias(actor, projectId, integrationId, free ? alias : null);
    }

    IntegrationStore.Alias addAlias(User actor, long projectId, Long integrationId) {
        return addAlias(actor, projectId, integrationId, null);
    }

    private IntegrationStore.Alias addAlias(User actor, long projectId, Long integrationId, String wanted) {
        String name = integrationId == null ? "project" : get(projectId, integrationId).name();
        StringBuilder alias = new StringBuilder();
        if (wanted != null) {
            alias.append(wanted);
        } else {
            for (byte b : Secrets.randomBytes(16)) {
                alias.append(ALPHABET.charAt((b & 0xff) % ALPHABET.length()));
            }
        }
        IntegrationStore.Alias created = db.tx(h -> {
            long id = store.insertAlias(h, projectId, integrationId, alias.toString());
            events.record(h, actor.id(), projectId, ObjectType.INTEGRATION, integrationId == null ? 0 : integrationId,
                    name, "Integration alias " + id + " of " + name + " added");
            return new IntegrationStore.Alias(id, alias.toString());
        });
        changed();
        return created;
    }

    void deleteAlias(User actor, long projectId, Long integrationId, long id) {
        String name = integrationId == null ? "project" : get(projectId, integrationId).name();
        db.txRun(h -> {
            if (!store.deleteAlias(h, projectId, integrationId, id)) {
                throw ApiException.notFound("alias " + id + " not found");
            }
            events.record(h, actor.id(), projectId, ObjectType.INTEGRATION, integrationId == null ? 0 : integrationId,
                    name, "Integration alias " + id + " of " + name + " deleted");
        });
        changed();
    }

    List<Delivery> deliveries(long projectId, long integrationId, int limit) {
        get(projectId, integrationId);
        return db.read(h -> store.deliveries(h, integrationId, limit));
    }

    private void check(long projectId, IntegrationInput.Fields input) {
        tasks.validateTaskParams(projectId, input.templateId(), input.taskParams());
        if (input.authSecretId() != null && !db.read(h -> keys.exists(h, projectId, input.authSecretId()))) {
            throw ApiException.badRequest("field 'auth_secret_id': key " + input.authSecretId()
                    + " not found in this project");
        }
    }

    private void record(org.jdbi.v3.core.Handle h, User actor, Integration integration, String what) {
        events.record(h, actor.id(), integration.projectId(), ObjectType.INTEGRATION, integration.id(),
                integration.name(), "Integration " + integration.name() + ": " + what);
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    private static String label(String name, long id) {
        return name == null || name.isEmpty() ? "#" + id : name;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("integration " + id + " not found");
    }
}
