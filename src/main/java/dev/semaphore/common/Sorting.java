package dev.semaphore.common;

import java.util.Map;

/** Turns {@code ?sort=&order=} into an ORDER BY clause from a fixed list of columns, never from the request text. */
public final class Sorting {
    private Sorting() {
    }

    /**
     * @param columns allowed sort names mapped to their SQL columns; the first listed in the error
     * @param fallback the sort name used when none is given
     * @return e.g. "name desc, id desc" (id breaks ties, so pages are stable)
     */
    public static String orderBy(Map<String, String> columns, String fallback, String sort, String order) {
        return orderBy(columns, fallback, sort, order, "id");
    }

    /** As {@link #orderBy(Map, String, String, String)}, breaking ties on {@code idColumn}. */
    public static String orderBy(Map<String, String> columns, String fallback, String sort, String order,
                                 String idColumn) {
        String column = columns.get(sort == null || sort.isEmpty() ? fallback : sort);
        if (column == null) {
            throw ApiException.badRequest("query 'sort' must be one of "
                    + String.join(", ", new java.util.TreeSet<>(columns.keySet())));
        }
        String direction = order == null || order.isEmpty() ? "asc" : order;
        if (!direction.equals("asc") && !direction.equals("desc")) {
            throw ApiException.badRequest("query 'order' must be asc or desc");
        }
        return column + " " + direction + ", " + idColumn + " " + direction;
    }
}
