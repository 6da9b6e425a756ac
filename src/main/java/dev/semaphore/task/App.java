package dev.semaphore.task;

/** How one kind of template (ansible, terraform, bash, ...) runs in a prepared workspace. */
interface App {
    LocalJob.Result run(JobContext job) throws InterruptedException;

    /** The app for a template's {@code app} field, or null when this server cannot run it. */
    static App of(String app) {
        return switch (app) {
            case "ansible" -> new AnsibleApp();
            case "terraform", "tofu", "terragrunt" -> new TerraformApp(app);
            case "bash", "python", "powershell" -> new ShellApp(app);
            default -> null;
        };
    }
}
