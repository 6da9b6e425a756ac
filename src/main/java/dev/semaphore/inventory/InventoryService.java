package dev.semaphore.inventory;

import dev.semaphore.resource.ProjectResources;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Sorting;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.user.User;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Inventories: content checked per type, keys and repositories of the same project, no delete while in use. */
public final class InventoryService implements ProjectResources<Inventory, InventoryInput> {
    private static final Map<String, String> SORT = Map.of("name", "name", "type", "type");

    private final Database db;
    private final EventLog events;
    private final AccessKeyService keys;
    private final RepositoryService repositories;
    private final References references;
    private final InventoryStore store = new InventoryStore();

    public InventoryService(Database db, EventLog events, AccessKeyService keys, RepositoryService repositories,
                            References references) {
        this.db = db;
        this.events = events;
        this.keys = keys;
        this.repositories = repositories;
        this.references = references;
        references.register(References.Target.KEY, "inventories", store::usingKey);
        references.register(References.Target.REPOSITORY, "inventories", store::usingRepository);
    }

    @Override
    public InventoryInput parse(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return InventoryInput.parse(dev.semaphore.common.JsonBody.of(body), false);
    }

    /** A backup's inventory: as {@link #parse}, but a file inventory may lack its path (upstream's example has one). */
    public InventoryInput parseRestored(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return InventoryInput.parse(dev.semaphore.common.JsonBody.of(body), true);
    }

    @Override
    public List<Inventory> list(long projectId, String sort, String order) {
        String orderBy = Sorting.orderBy(SORT, "name", sort, order);
        return db.read(h -> store.list(h, projectId, orderBy));
    }

    @Override
    public Inventory get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    public boolean exists(Handle h, long projectId, long id) {
        return store.find(h, projectId, id).isPresent();
    }

    @Override
    public Inventory create(User actor, long projectId, InventoryInput input) {
        return db.tx(h -> {
            requireSameProject(h, projectId, input);
            long id = store.insert(h, projectId, input);
            events.record(h, actor.id(), projectId, ObjectType.INVENTORY, id, input.name(),
                    "Inventory " + input.name() + " created");
            return store.find(h, projectId, id).orElseThrow();
        });
    }

    @Override
    public void update(User actor, long projectId, long id, InventoryInput input) {
        db.txRun(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            requireSameProject(h, projectId, input);
            store.update(h, id, input);
            events.record(h, actor.id(), projectId, ObjectType.INVENTORY, id, input.name(),
                    "Inventory " + input.name() + " updated");
        });
    }

    @Override
    public void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            Inventory current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            references.requireUnused(h, References.Target.INVENTORY, projectId, id, "inventory " + current.name());
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.INVENTORY, id, current.name(),
                    "Inventory " + current.name() + " deleted");
        });
    }

    @Override
    public Map<String, List<References.Ref>> refs(long projectId, long id) {
        return db.read(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            return references.find(h, References.Target.INVENTORY, projectId, id);
        });
    }

    private void requireSameProject(Handle h, long projectId, InventoryInput input) {
        for (var field : Map.of("ssh_key_id", nullable(input.sshKeyId()), "become_key_id",
                nullable(input.becomeKeyId())).entrySet()) {
            if (field.getValue() > 0 && !keys.exists(h, projectId, field.getValue())) {
                throw ApiException.badRequest("field '" + field.getKey() + "': access key " + field.getValue()
                        + " not found in this project");
            }
        }
        if (input.repositoryId() != null && !repositories.exists(h, projectId, input.repositoryId())) {
            throw ApiException.badRequest("field 'repository_id': repository " + input.repositoryId()
                    + " not found in this project");
        }
        if (input.templateId() != null && !store.templateExists(h, projectId, input.templateId())) {
            throw ApiException.badRequest("field 'template_id': template " + input.templateId()
                    + " not found in this project");
        }
    }

    /**
     * The project's inventories, as upstream's list filters them: those attached to {@code templateId}, and those a
     * template of {@code app} can use (a workspace of its kind for Terraform, OpenTofu and Terragrunt; the Ansible
     * kinds for the others).
     */
    public List<Inventory> list(long projectId, String sort, String order, Long templateId, String app) {
        return list(projectId, sort, order).stream()
                .filter(i -> templateId == null || templateId.equals(i.templateId()))
                .filter(i -> app == null || app.isEmpty() || usableBy(app, i.type()))
                .toList();
    }

    private static boolean usableBy(String app, String type) {
        return switch (app) {
            case "terraform", "tofu", "terragrunt" -> type.equals(app + "-workspace");
            case "ansible" -> List.of("static", "static-yaml", "file").contains(type);
            default -> !type.endsWith("-workspace");
        };
    }

    /** Attaches the inventory to a template (null: detaches it), inside the template feature's transaction. */
    public void attach(Handle h, long projectId, long id, Long templateId) {
        store.find(h, projectId, id).orElseThrow(() -> notFound(id));
        store.setTemplate(h, id, templateId);
    }

    /** A deleted template's workspaces stay, attached to none. */
    public void detachAll(Handle h, long templateId) {
        store.detachAll(h, templateId);
    }

    /** Whether the inventory is attached to the template (a task of it may choose it). */
    public boolean attachedTo(Handle h, long projectId, long id, long templateId) {
        return store.find(h, projectId, id).map(i -> Long.valueOf(templateId).equals(i.templateId())).orElse(false);
    }

    private static long nullable(Long id) {
        return id == null ? 0 : id;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("inventory " + id + " not found");
    }
}
