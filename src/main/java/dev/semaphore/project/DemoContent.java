package dev.semaphore.project;

import dev.semaphore.user.User;

/** What a demo project is filled with ({@code "demo": true}); the features that own the objects provide it. */
public interface DemoContent {
    void fill(User actor, long projectId);
}
