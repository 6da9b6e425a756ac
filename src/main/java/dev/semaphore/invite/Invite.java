package dev.semaphore.invite;

import java.time.Instant;

/**
 * An invitation into a project in upstream's shape: by user ({@code user_id}) or by e-mail, the role
 * it grants, its status (pending, accepted, declined, expired) and when it expires. The token is
 * never shown again after it was made ({@code token} is set only in the answer that creates it).
 */
public record Invite(long id, long projectId, Long userId, String email, String role, String status,
                     Long inviterUserId, Instant created, Instant expiresAt, Instant acceptedAt,
                     @com.fasterxml.jackson.annotation.JsonInclude(
                             com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String token) {
    Invite withToken(String shown) {
        return new Invite(id, projectId, userId, email, role, status, inviterUserId, created, expiresAt, acceptedAt,
                shown);
    }

    /** The status as of {@code now}: a pending invitation past its expiry is expired. */
    Invite asOf(Instant now) {
        return status.equals("pending") && expiresAt.isBefore(now)
                ? new Invite(id, projectId, userId, email, role, "expired", inviterUserId, created, expiresAt,
                        acceptedAt, token)
                : this;
    }
}
