package dev.semaphore.db;

/** The SQL engines we run on; each has its own Flyway migration folder. */
public enum Dialect {
    SQLITE("sqlite"), POSTGRES("postgresql"), MYSQL("mysql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    public static Dialect fromConfig(String name) {
        return switch (name) {
            case "sqlite" -> SQLITE;
            case "postgres" -> POSTGRES;
            case "mysql" -> MYSQL;
            default -> throw new IllegalArgumentException("unknown dialect " + name);
        };
    }
}
