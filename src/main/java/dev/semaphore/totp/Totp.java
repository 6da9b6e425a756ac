package dev.semaphore.totp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A user's TOTP as upstream shows it: {@code url} is the otpauth address an authenticator app reads
 * (from the QR code); {@code recovery_code} only in the answer that made it, and only when recovery is
 * allowed.
 */
public record Totp(long id, Instant created, long userId, String url,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String recoveryCode) {
}
