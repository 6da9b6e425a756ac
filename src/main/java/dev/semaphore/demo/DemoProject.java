package dev.semaphore.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.project.DemoContent;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.template.TemplateService;
import dev.semaphore.user.User;
import dev.semaphore.view.ViewService;

/**
 * Upstream's demo project: its demo repository, inventories for building and two stages, a view per
 * kind of work, and build and deploy templates (deploying to Dev follows each build), so a new user
 * sees how a project fits together. Each object goes through its own feature's checks.
 */
public final class DemoProject implements DemoContent {
    private static final String REPOSITORY = "https://github.com/semaphoreui/semaphore-demo.git";

    private final AccessKeyService keys;
    private final RepositoryService repositories;
    private final InventoryService inventories;
    private final EnvironmentService environments;
    private final ViewService views;
    private final TemplateService templates;

    public DemoProject(AccessKeyService keys, RepositoryService repositories, InventoryService inventories,
                       EnvironmentService environments, ViewService views, TemplateService templates) {
        this.keys = keys;
        this.repositories = repositories;
        this.inventories = inventories;
        this.environments = environments;
        this.views = views;
        this.templates = templates;
    }

    @Override
    public void fill(User actor, long project) {
        long none = keys.list(project, null, null).stream().filter(k -> k.type().equals("none")).findFirst()
                .orElseThrow().id();
        long empty = environments.list(project, null, null).stream().filter(e -> e.name().equals("Empty"))
                .findFirst().orElseThrow().id();
        long repository = repositories.create(actor, project, object()
                .put("name", "Demo").put("git_url", REPOSITORY).put("git_branch", "main").put("ssh_key_id", none)).id();
        long build = inventory(actor, project, "Build", "[builder]\nlocalhost ansible_connection=local\n", none);
        long dev = inventory(actor, project, "Dev", "[webservers]\nweb1.dev.example.com\n", none);
        long prod = inventory(actor, project, "Prod", "[webservers]\nweb1.example.com\nweb2.example.com\n", none);
        long buildView = views.create(actor, project, object().put("title", "Build")).id();
        long deployView = views.create(actor, project, object().put("title", "Deploy")).id();
        long toolsView = views.create(actor, project, object().put("title", "Tools")).id();
        long builder = templates.create(actor, project, template("Build", "build.yml", repository, build, empty, buildView)
                .put("type", "build").put("start_version", "1.0.0")).id();
        templates.create(actor, project, template("Deploy to Dev", "deploy.yml", repository, dev, empty, deployView)
                .put("type", "deploy").put("build_template_id", builder).put("autorun", true));
        templates.create(actor, project, template("Deploy to Production", "deploy.yml", repository, prod, empty,
                deployView).put("type", "deploy").put("build_template_id", builder));
        templates.create(actor, project, template("Ping", "ping.yml", repository, dev, empty, toolsView));
    }

    private long inventory(User actor, long project, String name, String hosts, long key) {
        return inventories.create(actor, project, object().put("name", name).put("type", "static")
                .put("inventory", hosts).put("ssh_key_id", key)).id();
    }

    private static ObjectNode template(String name, String playbook, long repository, long inventory, long environment,
                                       long view) {
        return object().put("name", name).put("app", "ansible").put("playbook", playbook)
                .put("repository_id", repository).put("inventory_id", inventory).put("environment_id", environment)
                .put("view_id", view);
    }

    private static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }
}
