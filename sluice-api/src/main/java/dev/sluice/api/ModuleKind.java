package dev.sluice.api;

/** What a module provides; decides which configuration section type may name it. */
public enum ModuleKind {
    ROUTER, MONITOR, FILTER, PROTOCOL, AUTHENTICATOR
}
