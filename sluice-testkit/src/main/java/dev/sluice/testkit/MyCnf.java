package dev.sluice.testkit;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code my.cnf} of a test node: the settings of lab/topology.sh (GTID replication, ROW binlog, strict
 * GTID mode, utf8mb4) tuned for a fast start and small footprint (tiny buffer pool and redo log, no fsync,
 * no doublewrite, no performance schema) — the data is thrown away after the test.
 */
final class MyCnf {

    private MyCnf() {
    }

    /** Settings shared by the datadir template and every node. */
    static StringBuilder common(MariaDbBinaries binaries, Path datadir, Path tmpdir) {
        return common(binaries, datadir, tmpdir, "root"); // we run as root; mariadbd refuses to without it
    }

    /** The shared settings, with mariadbd switching to the OS user {@code osUser} after start. */
    static StringBuilder common(MariaDbBinaries binaries, Path datadir, Path tmpdir, String osUser) {
        StringBuilder cnf = new StringBuilder("[mysqld]\n");
        line(cnf, "user=" + osUser);
        binaries.basedir().ifPresent(base -> {
            line(cnf, "basedir=" + base);
            line(cnf, "lc-messages-dir=" + base.resolve("share"));
        });
        line(cnf, "datadir=" + datadir);
        line(cnf, "tmpdir=" + tmpdir);
        line(cnf, "skip-name-resolve");
        line(cnf, "character-set-server=utf8mb4");
        line(cnf, "collation-server=utf8mb4_general_ci");
        line(cnf, "performance_schema=OFF");
        line(cnf, "innodb_buffer_pool_size=32M");
        line(cnf, "innodb_log_file_size=16M");
        line(cnf, "innodb_log_buffer_size=4M");
        line(cnf, "innodb_flush_log_at_trx_commit=2");
        line(cnf, "innodb_doublewrite=0");
        // other engineers run servers on the same machine: the kernel's AIO context limit is shared
        line(cnf, "innodb_use_native_aio=0");
        line(cnf, "sync_binlog=0");
        line(cnf, "key_buffer_size=1M");
        line(cnf, "aria_pagecache_buffer_size=1M");
        line(cnf, "loose-aria_log_file_size=8M");
        return cnf;
    }

    static String node(MariaDbBinaries binaries, Path dir, Path socket, int port, int serverId, String name,
                       boolean replica, List<String> extraLines) {
        StringBuilder cnf = common(binaries, dir.resolve("data"), dir.resolve("tmp"));
        line(cnf, "bind-address=127.0.0.1");
        line(cnf, "port=" + port);
        line(cnf, "socket=" + socket);
        line(cnf, "pid-file=" + dir.resolve("mysqld.pid"));
        line(cnf, "log-error=" + dir.resolve("error.log"));
        line(cnf, "max_connections=1000");
        line(cnf, "thread_cache_size=64");
        line(cnf, "max_allowed_packet=1G"); // 64 MiB BLOB and 16 MiB+ packet tests
        line(cnf, "local_infile=1");
        line(cnf, "server_id=" + serverId);
        line(cnf, "log_bin");
        line(cnf, "log_basename=" + name);
        line(cnf, "relay_log=" + name + "-relay-bin");
        line(cnf, "binlog_format=ROW");
        line(cnf, "gtid_strict_mode=1");
        line(cnf, "log_slave_updates=1");
        line(cnf, "report_host=127.0.0.1");
        line(cnf, "report_port=" + port);
        if (replica) {
            line(cnf, "read_only=1");
        }
        for (String extra : extraLines) {
            line(cnf, extra);
        }
        return cnf.toString();
    }

    static void line(StringBuilder cnf, String line) {
        cnf.append(line).append('\n');
    }
}
