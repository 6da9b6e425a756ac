package dev.semaphore.repository;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;

/** A repository as a request describes it, checked on reading. */
record RepositoryInput(String name, String gitUrl, String gitBranch, long sshKeyId) {

    static RepositoryInput parse(JsonBody body) {
        String name = body.requiredString("name").trim();
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        String url = body.optionalString("git_url").orElse(null);
        GitUrls.check(url);
        String branch = GitUrls.checkBranch(body.optionalString("git_branch").orElse(""));
        long key = body.requiredLong("ssh_key_id");
        return new RepositoryInput(name, url.trim(), branch, key);
    }
}
