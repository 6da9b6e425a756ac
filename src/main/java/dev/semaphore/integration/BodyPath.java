package dev.semaphore.integration;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path into a JSON body as upstream writes it: names joined by dots, array elements by their
 * index ({@code commits.0.id}, {@code commits[0].id} or {@code commits.[0].id}).
 */
final class BodyPath {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_\\-@$:]+)?((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private final List<String> steps;

    private BodyPath(List<String> steps) {
        this.steps = steps;
    }

    /** @throws IllegalArgumentException saying where the path does not parse */
    static BodyPath parse(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the path is empty");
        }
        List<String> steps = new ArrayList<>();
        String[] segments = path.split("\\.", -1);
        for (int i = 0; i < segments.length; i++) {
            Matcher m = SEGMENT.matcher(segments[i]);
            if (segments[i].isEmpty() || !m.matches()) {
                throw new IllegalArgumentException("part " + (i + 1) + " of the path (\"" + segments[i]
                        + "\") is not a name or an [index]");
            }
            if (m.group(1) != null) {
                steps.add(m.group(1));
            }
            Matcher index = INDEX.matcher(m.group(2));
            while (index.find()) {
                steps.add(index.group(1));
            }
        }
        return new BodyPath(List.copyOf(steps));
    }

    /** The value at the path, or null when the body has none there. */
    JsonNode find(JsonNode body) {
        JsonNode at = body;
        for (String step : steps) {
            if (at == null) {
                return null;
            }
            at = at.isArray() && step.chars().allMatch(Character::isDigit) ? at.get(Integer.parseInt(step)) : at.get(step);
        }
        return at == null || at.isMissingNode() ? null : at;
    }

    /** A JSON value as text, as a matcher compares it and an extracted variable holds it. */
    static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                && Math.abs(value.asDouble()) < 1e15) {
            return Long.toString((long) value.asDouble());
        }
        return value.toString();
    }
}
