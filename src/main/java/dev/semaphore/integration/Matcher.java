package dev.semaphore.integration;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A condition a delivery must meet: a header, a JSON body path or the whole body compared with
 * {@code value} ({@code equals}, {@code unequals}, {@code contains}).
 */
public record Matcher(long id, long integrationId, String name, String matchType, String method,
                      String bodyDataType, @JsonProperty("key") String key, String value) {
}
