package dev.semaphore.task;

import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;

/** How compacted output chunks are encoded: UTF-8 text compressed with zstd, the frame carrying its size. */
final class OutputCompression {
    /** zstd's default: about as fast as writing the text plainly, a fraction of its size for tool output. */
    private static final int LEVEL = 3;

    private OutputCompression() {
    }

    static byte[] pack(String text) {
        return Zstd.compress(text.getBytes(StandardCharsets.UTF_8), LEVEL);
    }

    static String unpack(byte[] packed) {
        return new String(Zstd.decompress(packed), StandardCharsets.UTF_8);
    }
}
