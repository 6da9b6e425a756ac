package dev.semaphore.task;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Rows;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Upstream's task statistics for its dashboard and template charts: per day (UTC) of the tasks made, how many
 * ended in each status and how long the ended ones took on average, between {@code start} and {@code end}
 * (dates, both included; the 30 days up to today unless given), for one template or user when asked.
 */
final class TaskStats {
    /** One day's line: its date, the count of each status, the average seconds of those that ended. */
    record Day(String date, Map<String, Integer> countByStatus, long avgDuration) {
    }

    record Query(Long templateId, Long userId, LocalDate start, LocalDate end) {
        static Query of(Long templateId, Long userId, String start, String end) {
            LocalDate last = date(end, "end", LocalDate.now(ZoneOffset.UTC));
            LocalDate first = date(start, "start", last.minusDays(29));
            if (first.isAfter(last)) {
                throw ApiException.badRequest("query parameter 'start' must not be after 'end'");
            }
            if (Duration.between(first.atStartOfDay(), last.atStartOfDay()).toDays() > 3660) {
                throw ApiException.badRequest("query parameters 'start' and 'end' may span at most ten years");
            }
            return new Query(templateId, userId, first, last);
        }

        private static LocalDate date(String text, String name, LocalDate otherwise) {
            if (text == null || text.isBlank()) {
                return otherwise;
            }
            try {
                return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("query parameter '" + name + "' must be a date such as 2026-12-01");
            }
        }
    }

    private TaskStats() {
    }

    static List<Day> of(Handle h, long projectId, Query q) {
        Instant from = q.start().atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = q.end().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        var query = h.createQuery("SELECT created, status, start_time, end_time FROM tasks WHERE project_id = :p"
                        + " AND created >= :from AND created < :to"
                        + (q.templateId() == null ? "" : " AND template_id = :t")
                        + (q.userId() == null ? "" : " AND user_id = :u"))
                .bind("p", projectId).bind("from", from).bind("to", to);
        if (q.templateId() != null) {
            query.bind("t", q.templateId());
        }
        if (q.userId() != null) {
            query.bind("u", q.userId());
        }
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        Map<String, long[]> durations = new TreeMap<>();
        query.map((rs, ctx) -> {
            Instant created = Rows.instant(rs, "created", ctx);
            String day = created.atOffset(ZoneOffset.UTC).toLocalDate().toString();
            counts.computeIfAbsent(day, d -> new TreeMap<>()).merge(rs.getString("status"), 1, Integer::sum);
            Instant started = Rows.instant(rs, "start_time", ctx);
            Instant ended = Rows.instant(rs, "end_time", ctx);
            if (started != null && ended != null) {
                long[] sum = durations.computeIfAbsent(day, d -> new long[2]);
                sum[0] += Duration.between(started, ended).toSeconds();
                sum[1]++;
            }
            return day;
        }).list();
        List<Day> days = new ArrayList<>();
        counts.forEach((day, byStatus) -> {
            long[] sum = durations.get(day);
            days.add(new Day(day, byStatus, sum == null || sum[1] == 0 ? 0 : sum[0] / sum[1]));
        });
        return days;
    }
}
