package dev.semaphore.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.task.TaskStatus.Cause;
import org.junit.jupiter.api.Test;

/** The transition table: what may follow what, and who may cause it. */
class TaskStatusTest {
    @Test
    void aFinishedTaskNeverMovesAgain() {
        for (TaskStatus done : TaskStatus.FINISHED) {
            for (TaskStatus to : TaskStatus.values()) {
                for (Cause cause : Cause.values()) {
                    assertThat(done.mayBecome(to, cause)).as(done + " -> " + to + " by " + cause).isFalse();
                }
            }
        }
    }

    @Test
    void onlyTheDispatcherClaimsOnlyAPersonDecidesOnlyTheJobSucceeds() {
        for (Cause cause : Cause.values()) {
            assertThat(TaskStatus.WAITING.mayBecome(TaskStatus.STARTING, cause)).isEqualTo(cause == Cause.DISPATCHER);
            assertThat(TaskStatus.WAITING_CONFIRMATION.mayBecome(TaskStatus.CONFIRMED, cause))
                    .isEqualTo(cause == Cause.USER);
            assertThat(TaskStatus.WAITING_CONFIRMATION.mayBecome(TaskStatus.REJECTED, cause))
                    .isEqualTo(cause == Cause.USER);
            assertThat(TaskStatus.RUNNING.mayBecome(TaskStatus.SUCCESS, cause)).isEqualTo(cause == Cause.JOB);
        }
        assertThat(TaskStatus.WAITING.mayBecome(TaskStatus.SUCCESS, Cause.JOB)).isFalse();
        assertThat(TaskStatus.STARTING.mayBecome(TaskStatus.SUCCESS, Cause.JOB)).isFalse();
        assertThat(TaskStatus.RUNNING.mayBecome(TaskStatus.CONFIRMED, Cause.USER)).isFalse();
    }

    @Test
    void everyActiveTaskCanBeStoppedAndFailedByRecovery() {
        for (TaskStatus active : TaskStatus.ACTIVE) {
            assertThat(active.mayBecome(TaskStatus.STOPPED, Cause.USER)).as(active.wire()).isTrue();
            assertThat(active.mayBecome(TaskStatus.ERROR, Cause.RECOVERY)).as(active.wire()).isTrue();
        }
        assertThat(TaskStatus.WAITING.mayBecome(TaskStatus.STOPPED, Cause.USER)).isTrue();
    }

    @Test
    void namesAreUpstreams() {
        assertThat(TaskStatus.NAMES).containsExactly("waiting", "starting", "waiting_confirmation", "confirmed",
                "rejected", "running", "stopping", "stopped", "success", "error");
        assertThat(TaskStatus.of("waiting_confirmation")).isEqualTo(TaskStatus.WAITING_CONFIRMATION);
        assertThat(TaskStatus.known("finished")).isFalse();
    }
}
