package dev.semaphore.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronTimingTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void fiveFieldsAndDescriptorsGiveTheNextWallClockTime() {
        Instant after = Instant.parse("2026-05-04T10:07:30Z");
        assertThat(CronTiming.parse("*/15 * * * *").next(after, ZoneOffset.UTC)).isEqualTo("2026-05-04T10:15:00Z");
        assertThat(CronTiming.parse("@hourly").next(after, ZoneOffset.UTC)).isEqualTo("2026-05-04T11:00:00Z");
        assertThat(CronTiming.parse("@daily").next(after, ZoneOffset.UTC)).isEqualTo("2026-05-05T00:00:00Z");
        assertThat(CronTiming.parse("0 9 * * 1-5").next(after, NEW_YORK)).isEqualTo("2026-05-04T13:00:00Z");
        assertThat(CronTiming.parse("@every 1h30m").next(after, NEW_YORK)).isEqualTo("2026-05-04T11:37:30Z");
        assertThat(CronTiming.parse("0 9 * * 1-5").describe()).isNotBlank();
    }

    @Test
    void aTimeTheClocksSkipRunsOnceAtTheShiftedInstant() {
        // 2026-03-08: New York goes from 02:00 EST straight to 03:00 EDT; 02:30 does not exist that day.
        CronTiming daily = CronTiming.parse("30 2 * * *");
        Instant before = Instant.parse("2026-03-07T12:00:00Z");
        Instant skipped = daily.next(before, NEW_YORK);
        assertThat(skipped).isEqualTo("2026-03-08T07:30:00Z"); // 03:30 EDT
        assertThat(daily.next(skipped, NEW_YORK)).isEqualTo("2026-03-09T06:30:00Z"); // 02:30 EDT the next day
    }

    @Test
    void aTimeTheClocksPassTwiceRunsOnce() {
        // 2026-11-01: New York goes from 02:00 EDT back to 01:00 EST; 01:30 happens twice.
        CronTiming daily = CronTiming.parse("30 1 * * *");
        Instant first = daily.next(Instant.parse("2026-10-31T12:00:00Z"), NEW_YORK);
        assertThat(first).isEqualTo("2026-11-01T05:30:00Z"); // 01:30 EDT
        assertThat(daily.next(first, NEW_YORK)).isEqualTo("2026-11-02T06:30:00Z"); // not 01:30 EST the same day
        // Asked during the repeated hour (01:10 EST), the passed 01:30 is not run again.
        assertThat(daily.next(Instant.parse("2026-11-01T06:10:00Z"), NEW_YORK)).isEqualTo("2026-11-02T06:30:00Z");
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> CronTiming.parse("* * *")).hasMessageContaining("5 fields");
        assertThatThrownBy(() -> CronTiming.parse("61 * * * *")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronTiming.parse("@fortnightly")).hasMessageContaining("@daily");
        assertThatThrownBy(() -> CronTiming.parse("@every 0s")).hasMessageContaining("at least 1s");
        assertThatThrownBy(() -> CronTiming.parse("@every soon")).hasMessageContaining("duration");
        assertThatThrownBy(() -> CronTiming.parse(" ")).hasMessageContaining("empty");
    }
}
