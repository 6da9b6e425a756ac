package dev.semaphore.template;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Sorting;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.user.User;
import dev.semaphore.view.ViewService;
import dev.semaphore.app.Apps;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Templates: what a task is made of, every reference checked to be of the same project. */
public final class TemplateService {
    private static final Map<String, String> SORT = Map.of("name", "name", "playbook", "playbook",
            "inventory", "inventory_id", "environment", "environment_id", "repository", "repository_id",
            "ssh_key", "name", "app", "app");

    /** The features a template points into, to check references inside one transaction. */
    public record Dependencies(AccessKeyService keys, RepositoryService repositories, InventoryService inventories,
                               EnvironmentService environments, ViewService views, Apps apps,
                               TemplateRuns runs) {
    }

    private final Database db;
    private final EventLog events;
    private final Dependencies deps;
    private final References references;
    private final TemplateStore store = new TemplateStore();

    public TemplateService(Database db, EventLog events, Dependencies deps, References references) {
        this.db = db;
        this.events = events;
        this.deps = deps;
        this.references = references;
        references.register(References.Target.REPOSITORY, "templates", (h, p, id) -> store.using(h, "repository_id", p, id));
        references.register(References.Target.INVENTORY, "templates", (h, p, id) -> store.using(h, "inventory_id", p, id));
        references.register(References.Target.ENVIRONMENT, "templates",
                (h, p, id) -> store.usingEnvironment(h, p, id));
        references.register(References.Target.VIEW, "templates", (h, p, id) -> store.using(h, "view_id", p, id));
        references.register(References.Target.TEMPLATE, "templates",
                (h, p, id) -> store.using(h, "build_template_id", p, id));
        references.register(References.Target.KEY, "templates", store::usingVaultKey);
    }

    /** The apps a template may name. */
    Apps apps() {
        return deps.apps();
    }

    public List<Template> list(long projectId, String app, String sort, String order) {
        if (app != null && !app.isEmpty() && !deps.apps().known(app)) {
            throw ApiException.badRequest("query 'app' must be one of " + TemplateInput.appIds(deps.apps()));
        }
        String orderBy = Sorting.orderBy(SORT, "name", sort, order);
        String filter = app == null || app.isEmpty() ? null : app;
        return db.read(h -> withRuns(h, projectId, store.list(h, projectId, filter, null, orderBy)));
    }

    /** A template with its run count and latest task, as its page shows it. */
    Template getWithRuns(long projectId, long id) {
        return db.read(h -> withRuns(h, projectId,
                List.of(store.find(h, projectId, id).orElseThrow(() -> notFound(id)))).get(0));
    }

    private List<Template> withRuns(Handle h, long projectId, List<Template> templates) {
        if (templates.isEmpty()) {
            return templates;
        }
        Map<Long, TemplateRuns.Runs> runs = deps.runs().of(h, projectId);
        return templates.stream().map(t -> {
            TemplateRuns.Runs r = runs.get(t.id());
            return r == null ? t.withRuns(0, null) : t.withRuns(r.count(), r.lastTask());
        }).toList();
    }

    public List<Template> inView(long projectId, long viewId) {
        return db.read(h -> {
            if (!deps.views().exists(h, projectId, viewId)) {
                throw ApiException.notFound("view " + viewId + " not found");
            }
            // The built-in All view holds every template of the project (upstream's UI opens the list through it).
            Long filter = deps.views().isAll(h, projectId, viewId) ? null : viewId;
            return withRuns(h, projectId, store.list(h, projectId, null, filter, "name, id"));
        });
    }

    public Template get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    /** Creates from a request as the API takes it (for what fills a project, such as the demo). */
    public Template create(User actor, long projectId, com.fasterxml.jackson.databind.node.ObjectNode body) {
        return create(actor, projectId, TemplateInput.parse(dev.semaphore.common.JsonBody.of(body), body, deps.apps()));
    }

    Template create(User actor, long projectId, TemplateInput given) {
        TemplateInput input = given.withGroupsIfUnsaid(List.of());
        return db.tx(h -> {
            requireSameProject(h, projectId, input, null);
            long id = store.insert(h, projectId, input);
            events.record(h, actor.id(), projectId, ObjectType.TEMPLATE, id, input.name(),
                    "Template " + input.name() + " created");
            return store.find(h, projectId, id).orElseThrow();
        });
    }

    /** Updates from a request as the API takes it (for restoring a backup into a project). */
    public void update(User actor, long projectId, long id, com.fasterxml.jackson.databind.node.ObjectNode body) {
        update(actor, projectId, id, TemplateInput.parse(dev.semaphore.common.JsonBody.of(body), body, deps.apps()));
    }

    void update(User actor, long projectId, long id, TemplateInput given) {
        db.txRun(h -> {
            Template current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            TemplateInput input = given.withGroupsIfUnsaid(current.environmentIds());
            requireSameProject(h, projectId, input, id);
            store.update(h, id, input);
            events.record(h, actor.id(), projectId, ObjectType.TEMPLATE, id, input.name(),
                    "Template " + input.name() + " updated");
        });
    }

    void describe(User actor, long projectId, long id, String description) {
        db.txRun(h -> {
            Template current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            store.updateDescription(h, id, description);
            events.record(h, actor.id(), projectId, ObjectType.TEMPLATE, id, current.name(),
                    "Template " + current.name() + " description updated");
        });
    }

    /** What a template's workspace inventories may be told: attached, detached, made its default. */
    enum WorkspaceChange { ATTACH, DETACH, SET_DEFAULT }

    /**
     * Upstream's Terraform workspaces: a template's workspaces are the inventories attached to it, one of them its
     * default (its inventory). Detaching the default leaves the template without one.
     */
    void workspace(User actor, long projectId, long id, long inventoryId, WorkspaceChange change) {
        db.txRun(h -> {
            Template current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            deps.inventories().attach(h, projectId, inventoryId, change == WorkspaceChange.DETACH ? null : id);
            if (change == WorkspaceChange.SET_DEFAULT) {
                store.updateInventory(h, id, inventoryId);
            } else if (change == WorkspaceChange.DETACH && Long.valueOf(inventoryId).equals(current.inventoryId())) {
                store.updateInventory(h, id, null);
            }
            events.record(h, actor.id(), projectId, ObjectType.TEMPLATE, id, current.name(), "Inventory "
                    + inventoryId + " " + switch (change) {
                        case ATTACH -> "attached to";
                        case DETACH -> "detached from";
                        case SET_DEFAULT -> "made the default of";
                    } + " template " + current.name());
        });
    }

    void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            Template current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            references.requireUnused(h, References.Target.TEMPLATE, projectId, id, "template " + current.name());
            deps.inventories().detachAll(h, id);
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.TEMPLATE, id, current.name(),
                    "Template " + current.name() + " deleted");
        });
    }

    Map<String, List<References.Ref>> refs(long projectId, long id) {
        return db.read(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            return references.find(h, References.Target.TEMPLATE, projectId, id);
        });
    }

    private void requireSameProject(Handle h, long projectId, TemplateInput in, Long self) {
        if (!deps.repositories().exists(h, projectId, in.repositoryId())) {
            throw missing("repository_id", "repository", in.repositoryId());
        }
        if (in.inventoryId() != null && !deps.inventories().exists(h, projectId, in.inventoryId())) {
            throw missing("inventory_id", "inventory", in.inventoryId());
        }
        for (Long group : in.environmentIds()) {
            if (!deps.environments().exists(h, projectId, group)) {
                throw missing(in.environmentIds().size() == 1 ? "environment_id" : "environment_ids", "environment",
                        group);
            }
        }
        if (in.viewId() != null && !deps.views().exists(h, projectId, in.viewId())) {
            throw missing("view_id", "view", in.viewId());
        }
        for (Template.Vault vault : in.vaults()) {
            if (vault.vaultKeyId() != null && !deps.keys().exists(h, projectId, vault.vaultKeyId())) {
                throw missing("vaults.vault_key_id", "access key", vault.vaultKeyId());
            }
        }
        if (in.buildTemplateId() != null) {
            Template build = store.find(h, projectId, in.buildTemplateId())
                    .orElseThrow(() -> missing("build_template_id", "template", in.buildTemplateId()));
            if (!build.type().equals("build") || in.buildTemplateId().equals(self)) {
                throw ApiException.badRequest("field 'build_template_id': template " + build.name()
                        + " is not a build template");
            }
        }
    }

    private static ApiException missing(String field, String what, long id) {
        return ApiException.badRequest("field '" + field + "': " + what + " " + id + " not found in this project");
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("template " + id + " not found");
    }
}
