package dev.semaphore.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A user's link to an identity provider, in upstream's JSON names. */
public record Identity(long id, @JsonProperty("user_id") long userId, String type, String provider,
                       @JsonProperty("external_uid") String externalUid, Instant created) {
}
