package dev.semaphore.task.local;

import dev.semaphore.app.Apps;
import dev.semaphore.task.job.JobResult;

/** How one kind of template (ansible, terraform, bash, ...) runs in a prepared workspace. */
interface App {
    JobResult run(JobContext job) throws InterruptedException;

    /**
     * The app for a template's {@code app} field, or null when this server cannot run it. Shell apps
     * (bash, python, powershell and custom ones) take the program and arguments the {@code apps}
     * setting gives them.
     */
    static App of(String app, Apps apps) {
        return switch (app) {
            case "ansible" -> new AnsibleApp();
            case "terraform", "tofu", "terragrunt" -> new TerraformApp(app);
            case "pulumi" -> null;
            default -> apps.get(app).map(ShellApp::of).orElse(null);
        };
    }
}
