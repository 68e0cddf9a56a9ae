package dev.sluice.api.server;

/**
 * One bit of a server's status, named as MaxScale shows it in the {@code state} string. Monitors set the
 * replication bits; an operator sets {@link #MAINTENANCE} and {@link #DRAINING} by hand.
 */
public enum StatusBit {
    RUNNING("Running"),
    MASTER("Master"),
    SLAVE("Slave"),
    RELAY_MASTER("Relay Master"),
    SLAVE_OF_EXTERNAL_MASTER("Slave of External Server"),
    SYNCED("Synced"),
    MAINTENANCE("Maintenance"),
    DRAINING("Draining"),
    AUTH_ERROR("Auth Error"),
    /** mariadbmon's {@code disk_space_threshold}: a disk of the server is fuller than its limit. */
    DISK_SPACE_EXHAUSTED("Disk Space Exhausted"),
    /** galeramon's {@code disable_master_failback}: the Master is kept though another node would be chosen. */
    MASTER_STICKINESS("Master Stickiness");

    private final String displayName;

    StatusBit(String displayName) {
        this.displayName = displayName;
    }

    public long mask() {
        return 1L << ordinal();
    }

    public String displayName() {
        return displayName;
    }

    /** Bits an operator owns; a monitor's publication never clears them. */
    public static final long MANUAL_BITS = MAINTENANCE.mask() | DRAINING.mask();
}
