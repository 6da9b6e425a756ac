package dev.semaphore.web;

/** A feature's routes; each controller is one. */
@FunctionalInterface
public interface RouteGroup {
    void register(Api api);
}
