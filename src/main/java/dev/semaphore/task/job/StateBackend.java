package dev.semaphore.task.job;

/**
 * Where a Terraform job with {@code override_backend} keeps its state: the server's HTTP backend, opened
 * for one task (an address to give Terraform) and closed after it. A remote runner has none of its own.
 */
public interface StateBackend {
    /**
     * The address of the state for this task; null when there is no backend here.
     *
     * @param processes the task's processes now: only requests they send are answered
     */
    String open(long projectId, String scope, long taskId,
                java.util.function.Supplier<java.util.stream.Stream<ProcessHandle>> processes);

    void close(String address);

    StateBackend NONE = new StateBackend() {
        @Override
        public String open(long projectId, String scope, long taskId,
                           java.util.function.Supplier<java.util.stream.Stream<ProcessHandle>> processes) {
            return null;
        }

        @Override
        public void close(String address) {
        }
    };
}
