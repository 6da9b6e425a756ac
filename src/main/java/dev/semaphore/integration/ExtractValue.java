package dev.semaphore.integration;

/**
 * A value taken from a delivery (a header, a JSON body path or the whole body) into the task: an
 * environment variable ({@code variable_type} "" or "environment") or a task parameter ("task").
 */
public record ExtractValue(long id, long integrationId, String name, String valueSource, String bodyDataType,
                           String key, String variable, String variableType) {
}
