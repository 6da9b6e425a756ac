package dev.semaphore.cli;

import dev.semaphore.common.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(Version.version());
        return 0;
    }
}
