package dev.semaphore.alert;

import dev.semaphore.common.ApiException;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.project.Project;
import dev.semaphore.project.ProjectService;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskStatus;
import dev.semaphore.template.TemplateService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people when a task of an alerting project succeeds, fails or waits for confirmation,
 * through every channel the server is configured with. Sending happens off the task's thread;
 * a failing channel is retried, then logged, and never changes the task.
 */
public final class AlertService {
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    private static final Set<String> NOTIFIABLE = Set.of(TaskStatus.SUCCESS.wire(), TaskStatus.ERROR.wire(),
            TaskStatus.WAITING_CONFIRMATION.wire());
    private static final long[] RETRY_DELAYS_MS = {500, 2000};

    private final ProjectService projects;
    private final TemplateService templates;
    private final String webHost;
    private final List<Channel> channels;

    public AlertService(ProjectService projects, TemplateService templates, Config config) {
        this.projects = projects;
        this.templates = templates;
        this.webHost = config.string(ConfigKeys.WEB_HOST);
        this.channels = channels(config);
    }

    private static List<Channel> channels(Config c) {
        List<Channel> out = new ArrayList<>();
        dev.semaphore.mail.Mailer mailer = dev.semaphore.mail.Mailer.of(c);
        if (mailer != null) {
            out.add(new EmailChannel(mailer));
        }
        if (c.bool(ConfigKeys.SLACK_ALERT) && !c.string(ConfigKeys.SLACK_URL).isEmpty()) {
            out.add(ChatChannel.slack(c.string(ConfigKeys.SLACK_URL)));
        }
        if (c.bool(ConfigKeys.ROCKETCHAT_ALERT) && !c.string(ConfigKeys.ROCKETCHAT_URL).isEmpty()) {
            out.add(ChatChannel.rocketChat(c.string(ConfigKeys.ROCKETCHAT_URL)));
        }
        if (c.bool(ConfigKeys.MICROSOFT_TEAMS_ALERT) && !c.string(ConfigKeys.MICROSOFT_TEAMS_URL).isEmpty()) {
            out.add(ChatChannel.teams(c.string(ConfigKeys.MICROSOFT_TEAMS_URL)));
        }
        if (c.bool(ConfigKeys.DINGTALK_ALERT) && !c.string(ConfigKeys.DINGTALK_URL).isEmpty()) {
            out.add(ChatChannel.dingTalk(c.string(ConfigKeys.DINGTALK_URL)));
        }
        if (c.bool(ConfigKeys.GOTIFY_ALERT) && !c.string(ConfigKeys.GOTIFY_URL).isEmpty()) {
            out.add(ChatChannel.gotify(c.string(ConfigKeys.GOTIFY_URL), c.string(ConfigKeys.GOTIFY_TOKEN)));
        }
        if (c.bool(ConfigKeys.TELEGRAM_ALERT) && !c.string(ConfigKeys.TELEGRAM_TOKEN).isEmpty()) {
            out.add(ChatChannel.telegram(c.string(ConfigKeys.TELEGRAM_URL), c.string(ConfigKeys.TELEGRAM_TOKEN),
                    c.string(ConfigKeys.TELEGRAM_CHAT)));
        }
        return List.copyOf(out);
    }

    /** A task's status changed: alert, in the background, if the status, project and template call for it. */
    public void taskChanged(Task task) {
        if (channels.isEmpty() || !NOTIFIABLE.contains(task.status())) {
            return;
        }
        Thread.ofVirtual().name("alert-" + task.id()).start(() -> {
            try {
                alertFor(task).ifPresent(alert -> {
                    for (Channel channel : channels) {
                        if (channel.wants(alert)) {
                            deliver(channel, alert);
                        }
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("alerts for task {} were not sent: {}", task.id(), e.getMessage());
            }
        });
    }

    /**
     * Sends a test message through every channel now, for a project with alerts on.
     * @return the channels that failed, each with why
     */
    public List<String> sendTest(long projectId) {
        Project project = projects.get(projectId);
        if (!project.alert()) {
            throw new ApiException(409, "alerts are not enabled for this project");
        }
        Alert alert = new Alert(projectId, project.name(), 0, "", "success", "", null, webHost + "/project/"
                + projectId, project.alertChat(), projects.alertRecipients(projectId), true);
        List<String> failures = new ArrayList<>();
        for (Channel channel : channels) {
            if (channel.wants(alert)) {
                String failure = deliver(channel, alert);
                if (failure != null) {
                    failures.add(channel.name() + ": " + failure);
                }
            }
        }
        return failures;
    }

    private Optional<Alert> alertFor(Task task) {
        Project project;
        try {
            project = projects.get(task.projectId());
        } catch (ApiException gone) {
            return Optional.empty();
        }
        if (!project.alert()) {
            return Optional.empty();
        }
        if (task.state() == TaskStatus.SUCCESS ? suppresses(task, true) : suppresses(task, false)) {
            return Optional.empty();
        }
        String url = webHost + "/project/" + task.projectId() + "/templates/" + task.templateId() + "?t=" + task.id();
        return Optional.of(new Alert(task.projectId(), project.name(), task.id(), task.tplAlias(), task.status(),
                task.userName() == null ? "Semaphore" : task.userName(), task.version(), url, project.alertChat(),
                projects.alertRecipients(task.projectId()), false));
    }

    /** Whether the task's template keeps quiet about its successes (or, upstream 2.17+, its failures). */
    private boolean suppresses(Task task, boolean success) {
        try {
            var template = templates.get(task.projectId(), task.templateId());
            return success ? template.suppressSuccessAlerts() : template.suppressErrorAlerts();
        } catch (ApiException gone) {
            return false;
        }
    }

    /** Sends with retries; returns null once sent, else the last failure. */
    private static String deliver(Channel channel, Alert alert) {
        String failure = null;
        for (int attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
            try {
                if (attempt > 0) {
                    Thread.sleep(RETRY_DELAYS_MS[attempt - 1]);
                }
                channel.send(alert);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } catch (Exception e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                LOG.warn("{} alert for project {} task {} failed (attempt {} of {}): {}", channel.name(),
                        alert.projectId(), alert.taskId(), attempt + 1, RETRY_DELAYS_MS.length + 1, failure);
            }
        }
        return failure;
    }

}
