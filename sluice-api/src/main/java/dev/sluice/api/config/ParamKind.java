package dev.sluice.api.config;

/** The value types a parameter can have, named as MaxScale's module specs name them. */
public enum ParamKind {
    BOOL("bool"),
    COUNT("count"),
    INT("int"),
    SIZE("size"),
    DURATION("duration"),
    ENUM("enum"),
    ENUM_LIST("enum_mask"),
    STRING("string"),
    PASSWORD("password"),
    PATH("path"),
    SERVER_LIST("serverlist"),
    TARGET("target"),
    REGEX("regex");

    private final String restName;

    ParamKind(String restName) {
        this.restName = restName;
    }

    /** The type name shown in the REST API and the docs. */
    public String restName() {
        return restName;
    }
}
