package dev.semaphore.repository;

import dev.semaphore.resource.ProjectResources;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Sorting;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.execution.GitRemote;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.user.User;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Repositories of a project: validated URLs and branches, keys of the same project, no delete while in use. */
public final class RepositoryService implements ProjectResources<Repository, RepositoryInput> {
    private static final Map<String, String> SORT = Map.of("name", "name", "git_url", "git_url",
            "ssh_key", "ssh_key_id");

    private final Database db;
    private final EventLog events;
    private final AccessKeyService keys;
    private final References references;
    private final GitRemote git;
    private final RepositoryStore store = new RepositoryStore();

    public RepositoryService(Database db, EventLog events, AccessKeyService keys, References references, GitRemote git) {
        this.db = db;
        this.events = events;
        this.keys = keys;
        this.references = references;
        this.git = git;
        references.register(References.Target.KEY, "repositories", store::usingKey);
    }

    @Override
    public RepositoryInput parse(com.fasterxml.jackson.databind.node.ObjectNode body) {
        return RepositoryInput.parse(dev.semaphore.common.JsonBody.of(body));
    }

    @Override
    public List<Repository> list(long projectId, String sort, String order) {
        String orderBy = Sorting.orderBy(SORT, "name", sort, order);
        return db.read(h -> store.list(h, projectId, orderBy));
    }

    @Override
    public Repository get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    /** The remote's branches, asked with the repository's own key. */
    public List<String> branches(long projectId, long id) {
        Repository repository = get(projectId, id);
        try {
            return git.branches(repository.gitUrl(), keys.secret(projectId, repository.sshKeyId()));
        } catch (GitRemote.GitException e) {
            throw ApiException.badRequest("cannot list the branches of " + repository.name() + ": " + e.getMessage());
        }
    }

    /**
     * The commit a branch of the remote points at now (the repository's own branch when {@code branch}
     * is null), asked with the repository's key; empty when the branch does not exist.
     * @throws GitRemote.GitException when the remote cannot be asked
     */
    public Optional<String> headCommit(long projectId, long id, String branch) {
        Repository repository = get(projectId, id);
        String wanted = branch == null || branch.isEmpty() ? repository.gitBranch() : branch;
        return Optional.ofNullable(git.heads(repository.gitUrl(), keys.secret(projectId, repository.sshKeyId()))
                .get(wanted));
    }

    /** For features that point at repositories, inside their own transaction. */
    public boolean exists(Handle h, long projectId, long id) {
        return store.find(h, projectId, id).isPresent();
    }

    @Override
    public Repository create(User actor, long projectId, RepositoryInput input) {
        return db.tx(h -> {
            requireKey(h, projectId, input.sshKeyId());
            long id = store.insert(h, projectId, input);
            events.record(h, actor.id(), projectId, ObjectType.REPOSITORY, id, input.name(),
                    "Repository " + input.name() + " created");
            return store.find(h, projectId, id).orElseThrow();
        });
    }

    @Override
    public void update(User actor, long projectId, long id, RepositoryInput input) {
        db.txRun(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            requireKey(h, projectId, input.sshKeyId());
            store.update(h, id, input);
            events.record(h, actor.id(), projectId, ObjectType.REPOSITORY, id, input.name(),
                    "Repository " + input.name() + " updated");
        });
    }

    @Override
    public void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            Repository current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            references.requireUnused(h, References.Target.REPOSITORY, projectId, id, "repository " + current.name());
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.REPOSITORY, id, current.name(),
                    "Repository " + current.name() + " deleted");
        });
    }

    @Override
    public Map<String, List<References.Ref>> refs(long projectId, long id) {
        return db.read(h -> {
            store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            return references.find(h, References.Target.REPOSITORY, projectId, id);
        });
    }

    private void requireKey(Handle h, long projectId, long keyId) {
        if (!keys.exists(h, projectId, keyId)) {
            throw ApiException.badRequest("field 'ssh_key_id': access key " + keyId + " not found in this project");
        }
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("repository " + id + " not found");
    }
}
