#!/usr/bin/env bash
# End-to-end proxy comparison: direct MariaDB vs HAProxy (TCP mode) vs Sluice, sysbench.
#
#   sluice-bench/scripts/compare.sh            (as root, from anywhere; the repository is found from here)
#   ROUTER=readwritesplit sluice-bench/scripts/compare.sh      read scale-out: see ROUTER below
#
# What it does, all on 127.0.0.1, never port 3306:
#   1. installs sysbench and haproxy with apt-get when missing; builds Sluice (mvn package) when needed;
#   2. starts its own MariaDB primary (BASE_PORT+1) and REPLICAS GTID replicas (BASE_PORT+2, ...) from the
#      system mariadbd, with the accounts app/apppwd (sbtest.*, test.*) and maxuser/maxpwd (service + monitor);
#   3. starts HAProxy in TCP mode on HAPROXY_PORT -> primary, and one Sluice per SLUICE_THREADS value
#      (readconnroute router_options=master, mariadbmon) on SLUICE_PORT, SLUICE_PORT+1, ...;
#      with ROUTER=readwritesplit: HAProxy round-robins connections over the replicas (what an application
#      that sends its reads to a replica pool would use), Sluice runs router=readwritesplit over the monitor's
#      cluster, sysbench gets SB_OPTS (--skip_trx=on: autocommit reads, which readwritesplit sends to replicas);
#   4. prepares sbtest (TABLES x TABLE_SIZE rows) on the primary, warms every target up (JIT), then runs
#      ROUNDS rounds of every test on every target, the target order rotating each round;
#   5. per run records TPS, QPS, p95, the CPU seconds used by the proxy process (Sluice's JVM, HAProxy) and by
#      the primary's mariadbd (from /proc/PID/stat), and the machine's busy CPU;
#   6. prints, per test and target, the median TPS, the ratio to HAProxy and to direct, and CPU per 1000
#      queries (median over rounds), and where the reads ran: each server's share of the Com_select
#      increments during the runs (SHOW GLOBAL STATUS, summed over rounds); stops exactly the processes it
#      started (by PID) and removes its data.
#
# Env (defaults):
#   ROUTER readconnroute   or readwritesplit (then REPLICAS defaults to 2, SB_OPTS to --skip_trx=on)
#   REPLICAS 1   SB_OPTS ""  extra sysbench options for every run
#   TESTS "oltp_point_select oltp_read_only"  THREADS 16  SECS 30  ROUNDS 3  WARMUP_SECS 10
#   SLUICE_THREADS "1 2"   Sluice routing worker counts ([maxscale] threads=), one Sluice instance each
#   SLUICE_JAVA_OPTS "-XX:+UseParallelGC -Xms256m -Xmx256m -Xss512k"
#   HAPROXY_NBTHREAD ""    empty = HAProxy's default (one thread per CPU)
#   BENCH_DIR /tmp/sluice-bench-compare   BASE_PORT 3320 (primary 3321, replicas 3322, 3323, ...)
#   HAPROXY_PORT 4106   SLUICE_PORT 4107   TABLES 4   TABLE_SIZE 10000   PS_MODE disable
#   TARGETS_ONLY ""      e.g. "haproxy sluice-t1" to run only those targets (names as in the table)
#   SETUP_ONLY=1        start everything, print the targets and wait (for profiling by hand); Ctrl-C stops all
#   KEEP_RESULTS_DIR     where runs.tsv / summary.txt / sysbench.log are kept ($BENCH_DIR/../sluice-bench-results-<ts>)
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

ROUTER=${ROUTER:-readconnroute}
case $ROUTER in
  readconnroute) REPLICAS=${REPLICAS:-1} SB_OPTS=${SB_OPTS:-} ;;
  readwritesplit) REPLICAS=${REPLICAS:-2} SB_OPTS=${SB_OPTS:---skip_trx=on} ;;
  *) echo "compare: ROUTER=$ROUTER (expected: readconnroute or readwritesplit)" >&2; exit 1 ;;
esac
TESTS=${TESTS:-oltp_point_select oltp_read_only}
THREADS=${THREADS:-16} SECS=${SECS:-30} ROUNDS=${ROUNDS:-3} WARMUP_SECS=${WARMUP_SECS:-10}
SLUICE_THREADS=${SLUICE_THREADS:-1 2}
SLUICE_JAVA_OPTS=${SLUICE_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx256m -Xss512k}
HAPROXY_NBTHREAD=${HAPROXY_NBTHREAD:-}
BENCH_DIR=${BENCH_DIR:-/tmp/sluice-bench-compare}
BASE_PORT=${BASE_PORT:-3320}
HAPROXY_PORT=${HAPROXY_PORT:-4106} SLUICE_PORT=${SLUICE_PORT:-4107}
TABLES=${TABLES:-4} TABLE_SIZE=${TABLE_SIZE:-10000} PS_MODE=${PS_MODE:-disable}
TARGETS_ONLY=${TARGETS_ONLY:-}
RESULTS=${KEEP_RESULTS_DIR:-$(dirname "$BENCH_DIR")/sluice-bench-results-$(date +%Y%m%d-%H%M%S)}
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}
PRIMARY_PORT=$((BASE_PORT + 1)) REPLICA_PORT=$((BASE_PORT + 2))
NODES=$(seq 1 $((REPLICAS + 1)))
HZ=$(getconf CLK_TCK)

log() { echo "compare: $*" >&2; }
die() { echo "compare: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (mariadbd runs as root here, apt-get may be needed)"
for p in $(for i in $NODES; do echo $((BASE_PORT + i)); done) "$HAPROXY_PORT" "$SLUICE_PORT"; do
  [ "$p" != 3306 ] || die "refusing to use port 3306"
done

# ---------------------------------------------------------------- prerequisites
need=()
command -v sysbench >/dev/null || need+=(sysbench)
command -v haproxy >/dev/null || need+=(haproxy)
[ -x "$MARIADBD" ] && command -v mariadb >/dev/null || need+=(mariadb-server mariadb-client)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >&2; } \
    || die "apt-get install ${need[*]} failed"
fi
if ! ls "$ROOT"/sluice-cli/target/sluice-cli-*.jar >/dev/null 2>&1 || [ ! -d "$ROOT/sluice-cli/target/lib" ]; then
  log "building Sluice (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) >&2 || die "build failed"
fi

# ---------------------------------------------------------------- process bookkeeping
STARTED=()          # "name:pid" of every process this script started, stopped in reverse order
cleanup() {
  local i entry name pid
  trap - EXIT INT TERM
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    entry=${STARTED[$i]} name=${entry%%:*} pid=${entry##*:}
    [ -d "/proc/$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 120); do [ -d "/proc/$pid" ] || break; sleep 0.25; done
    if [ -d "/proc/$pid" ]; then log "$name (pid $pid) did not stop, killing"; kill -KILL "$pid" 2>/dev/null; fi
    wait "$pid" 2>/dev/null
    log "stopped $name (pid $pid)"
  done
  rm -rf "$BENCH_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }
wait_port() { # port pid secs
  local t
  for t in $(seq 1 $(($3 * 4))); do
    ss -ltnH "sport = :$1" 2>/dev/null | grep -q . && return 0
    [ -d "/proc/$2" ] || return 1
    sleep 0.25
  done
  return 1
}

[ -e "$BENCH_DIR" ] && die "$BENCH_DIR exists (another run, or a crashed one: check and remove it)"
mkdir -p "$BENCH_DIR" "$RESULTS"

# ---------------------------------------------------------------- MariaDB primary + replica
node_sql() { local i=$1; shift; mariadb --no-defaults --socket="$BENCH_DIR/db$i/mysqld.sock" -uroot -N -B "$@"; }

start_node() { # i role
  local i=$1 role=$2 d=$BENCH_DIR/db$1 port=$((BASE_PORT + $1))
  port_free "$port" || die "port $port is in use"
  mkdir -p "$d/data" "$d/tmp"
  cat > "$d/my.cnf" <<EOF
[mysqld]
user=root
bind-address=127.0.0.1
port=$port
socket=$d/mysqld.sock
pid-file=$d/mysqld.pid
datadir=$d/data
tmpdir=$d/tmp
log-error=$d/error.log
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
max_connections=1000
thread_cache_size=64
table_open_cache=2000
performance_schema=OFF
innodb_buffer_pool_size=128M
innodb_log_file_size=128M
innodb_flush_log_at_trx_commit=2
sync_binlog=0
server_id=$i
log_bin
log_basename=db$i
binlog_format=ROW
gtid_strict_mode=1
log_slave_updates=1
report_host=127.0.0.1
report_port=$port
$([ "$role" = replica ] && echo read_only=1)
EOF
  mariadb-install-db --defaults-file="$d/my.cnf" --user=root --skip-test-db \
    --auth-root-authentication-method=socket > "$d/install.log" 2>&1 || { cat "$d/install.log" >&2; die "install-db db$i failed"; }
  "$MARIADBD" --defaults-file="$d/my.cnf" < /dev/null >> "$d/stdout.log" 2>&1 &
  local pid=$!
  STARTED+=("mariadbd-db$i:$pid")
  eval "DB${i}_PID=$pid"
  for _ in $(seq 1 120); do
    mariadb-admin --no-defaults --socket="$d/mysqld.sock" -uroot ping >/dev/null 2>&1 && { log "db$i ($role) up on $port pid $pid"; return 0; }
    [ -d "/proc/$pid" ] || break
    sleep 0.5
  done
  tail -20 "$d/error.log" >&2; die "db$i did not come up"
}

start_node 1 primary
for i in $NODES; do [ "$i" = 1 ] || start_node "$i" replica; done
for i in $NODES; do # anonymous accounts would shadow app@'%'; not binlogged, so removed on each node
  node_sql $i -e "SET sql_log_bin=0; DELETE FROM mysql.global_priv WHERE User=''; FLUSH PRIVILEGES;" || die "bootstrap failed"
done
node_sql 1 <<'EOF' || die "bootstrap failed"
CREATE DATABASE IF NOT EXISTS sbtest;
CREATE DATABASE IF NOT EXISTS test;
CREATE USER 'repl'@'%' IDENTIFIED BY 'replpwd';
GRANT REPLICATION SLAVE, SLAVE MONITOR, BINLOG MONITOR ON *.* TO 'repl'@'%';
CREATE USER 'maxuser'@'%' IDENTIFIED BY 'maxpwd';
GRANT SELECT ON mysql.* TO 'maxuser'@'%';
GRANT SHOW DATABASES, PROCESS, RELOAD, SUPER, REPLICATION CLIENT, SLAVE MONITOR, BINLOG MONITOR,
      CONNECTION ADMIN ON *.* TO 'maxuser'@'%';
CREATE USER 'app'@'%' IDENTIFIED BY 'apppwd';
GRANT ALL ON sbtest.* TO 'app'@'%';
GRANT ALL ON test.* TO 'app'@'%';
EOF
for i in $NODES; do
  [ "$i" = 1 ] && continue
  node_sql "$i" -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$PRIMARY_PORT, MASTER_USER='repl',
    MASTER_PASSWORD='replpwd', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;" || die "replica setup failed"
done

SB_COMMON=(--db-driver=mysql --mysql-user=app --mysql-password=apppwd --mysql-db=sbtest
           --tables="$TABLES" --table-size="$TABLE_SIZE")
log "preparing sbtest ($TABLES x $TABLE_SIZE rows) on the primary"
sysbench oltp_common "${SB_COMMON[@]}" --mysql-host=127.0.0.1 --mysql-port="$PRIMARY_PORT" prepare \
  > "$RESULTS/prepare.log" 2>&1 || { cat "$RESULTS/prepare.log" >&2; die "sysbench prepare failed"; }
pos=$(node_sql 1 -e "SELECT @@gtid_binlog_pos")
for i in $NODES; do
  [ "$i" = 1 ] || [ "$(node_sql "$i" -e "SELECT MASTER_GTID_WAIT('$pos', 120)")" = 0 ] || die "replica db$i did not catch up"
done

# ---------------------------------------------------------------- HAProxy
TARGETS=("direct=$PRIMARY_PORT")
port_free "$HAPROXY_PORT" || die "port $HAPROXY_PORT is in use"
mkdir -p "$BENCH_DIR/haproxy"
cat > "$BENCH_DIR/haproxy/haproxy.cfg" <<EOF
global
    maxconn 4000
$([ -n "$HAPROXY_NBTHREAD" ] && echo "    nbthread $HAPROXY_NBTHREAD")

defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h

EOF
if [ "$ROUTER" = readwritesplit ]; then
  { echo "listen replicas"; echo "    bind 127.0.0.1:$HAPROXY_PORT"; echo "    balance roundrobin"
    for i in $NODES; do [ "$i" = 1 ] || echo "    server db$i 127.0.0.1:$((BASE_PORT + i))"; done
  } >> "$BENCH_DIR/haproxy/haproxy.cfg"
else
  printf 'listen primary\n    bind 127.0.0.1:%s\n    server db1 127.0.0.1:%s\n' "$HAPROXY_PORT" "$PRIMARY_PORT" \
    >> "$BENCH_DIR/haproxy/haproxy.cfg"
fi
haproxy -db -f "$BENCH_DIR/haproxy/haproxy.cfg" > "$BENCH_DIR/haproxy/haproxy.log" 2>&1 &
HAPROXY_PID=$!
STARTED+=("haproxy:$HAPROXY_PID")
wait_port "$HAPROXY_PORT" "$HAPROXY_PID" 10 || { cat "$BENCH_DIR/haproxy/haproxy.log" >&2; die "haproxy did not start"; }
log "haproxy up on $HAPROXY_PORT pid $HAPROXY_PID"
TARGETS+=("haproxy=$HAPROXY_PORT")
declare -A PROXY_PID=([haproxy]=$HAPROXY_PID)

# ---------------------------------------------------------------- Sluice, one instance per thread count
port=$SLUICE_PORT
for t in $SLUICE_THREADS; do
  name=sluice-t$t d=$BENCH_DIR/$name
  port_free "$port" || die "port $port is in use"
  mkdir -p "$d/data"
  cat > "$d/sluice.cnf" <<EOF
# generated by sluice-bench/scripts/compare.sh
[maxscale]
threads=$t
datadir=$d/data
admin_enabled=false

$(for i in $NODES; do printf '[db%s]\ntype=server\naddress=127.0.0.1\nport=%s\npersistpoolmax=100\npersistmaxtime=300s\n\n' \
    "$i" $((BASE_PORT + i)); done)

[Cluster]
type=monitor
module=mariadbmon
servers=$(for i in $NODES; do printf 'db%s,' "$i"; done | sed 's/,$//')
user=maxuser
password=maxpwd
monitor_interval=2s

[RW-Service]
type=service
router=$ROUTER
$([ "$ROUTER" = readconnroute ] && echo router_options=master)
cluster=Cluster
user=maxuser
password=maxpwd

[RW-Listener]
type=listener
service=RW-Service
protocol=MariaDBClient
address=127.0.0.1
port=$port
EOF
  SLUICE_JAVA_OPTS="$SLUICE_JAVA_OPTS" "$ROOT/bin/sluice" --config "$d/sluice.cnf" > "$d/sluice.log" 2>&1 &
  pid=$!
  STARTED+=("$name:$pid")
  wait_port "$port" "$pid" 60 || { tail -30 "$d/sluice.log" >&2; die "$name did not start"; }
  # the monitor needs a tick to find the primary
  for _ in $(seq 1 40); do
    mariadb --no-defaults -h127.0.0.1 -P"$port" -uapp -papppwd sbtest -N -e "SELECT 1" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if [ "$ROUTER" = readwritesplit ]; then # and a tick more to see the replicas: reads then leave the primary
    for _ in $(seq 1 40); do
      [ "$(mariadb --no-defaults -h127.0.0.1 -P"$port" -uapp -papppwd sbtest -N -e "SELECT @@server_id" 2>/dev/null)" \
        -gt 1 ] 2>/dev/null && break
      sleep 0.5
    done
  fi
  [ -d "/proc/$pid" ] || { tail -30 "$d/sluice.log" >&2; die "$name stopped right after starting"; }
  log "$name up on $port pid $pid (threads=$t, router=$ROUTER, java opts: $SLUICE_JAVA_OPTS)"
  TARGETS+=("$name=$port")
  PROXY_PID[$name]=$pid
  port=$((port + 1))
done

if [ -n "$TARGETS_ONLY" ]; then
  sel=()
  for tg in "${TARGETS[@]}"; do [[ " $TARGETS_ONLY " == *" ${tg%%=*} "* ]] && sel+=("$tg"); done
  TARGETS=("${sel[@]}")
fi
for tg in "${TARGETS[@]}"; do
  mariadb --no-defaults -h127.0.0.1 -P"${tg#*=}" -uapp -papppwd sbtest -N -e "SELECT COUNT(*) FROM sbtest1" >/dev/null \
    || die "target $tg does not answer"
done

if [ "${SETUP_ONLY:-0}" = 1 ]; then
  log "SETUP_ONLY=1: targets ${TARGETS[*]} are up (pids: ${STARTED[*]}); Ctrl-C or kill $$ to stop them"
  while :; do sleep 1; done
fi

# ---------------------------------------------------------------- measurement
ticks() { # utime+stime of pid (all threads), 0 if gone
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}
machine() { awk '/^cpu / {busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }
com_select() { # Com_select of every node, space-separated (db1 first); read over the socket, not counted
  local i
  for i in $NODES; do node_sql "$i" -e "SHOW GLOBAL STATUS LIKE 'Com_select'" | awk '{printf "%s ", $2}'; done
}

printf "round\ttest\ttarget\ttps\tqps\tqueries\tp95_ms\terrors\tproxy_cpu_s\tproxy_ms_per_1kq\tdb_ms_per_1kq\tmachine_busy_pct\treads_per_node\n" > "$RESULTS/runs.tsv"

run_one() { # round test target
  local round=$1 test=$2 tg=$3 name=${3%%=*} port=${3#*=}
  local ppid=${PROXY_PID[$name]:-}
  local p0 d0 m0 p1 d1 m1 out rc s0 s1 reads
  s0=$(com_select); p0=$(ticks "$ppid"); d0=$(ticks "$DB1_PID"); m0=$(machine)
  # shellcheck disable=SC2086 # SB_OPTS is a list of options
  out=$(sysbench "$test" "${SB_COMMON[@]}" --mysql-host=127.0.0.1 --mysql-port="$port" --threads="$THREADS" \
        --time="$4" --report-interval=0 --percentile=95 --db-ps-mode="$PS_MODE" $SB_OPTS run 2>&1)
  rc=$?
  p1=$(ticks "$ppid"); d1=$(ticks "$DB1_PID"); m1=$(machine); s1=$(com_select)
  reads=$(awk -v a="$s0" -v b="$s1" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? " " : ""), y[i] - x[i] }')
  { echo "### $(date -Is) round=$round $test $name port=$port rc=$rc"; echo "$out"; } >> "$RESULTS/sysbench.log"
  local tps qps queries p95 errs
  tps=$(awk '/transactions:/ {gsub(/\(/,"",$3); print $3; exit}' <<<"$out")
  qps=$(awk '/queries:/ && /per sec/ {gsub(/\(/,"",$3); print $3; exit}' <<<"$out")
  queries=$(awk '/queries:/ && /per sec/ {print $2; exit}' <<<"$out")
  p95=$(awk '/95th percentile:/ {print $3; exit}' <<<"$out")
  errs=$(awk '/ignored errors:/ {print $3; exit}' <<<"$out")
  if [ $rc -ne 0 ] || [ -z "$tps" ]; then grep -m3 -iE 'FATAL|error' <<<"$out" >&2; errs=FATAL; fi
  local row
  row=$(awk -v r="$round" -v t="$test" -v n="$name" -v tps="${tps:-0}" -v qps="${qps:-0}" -v q="${queries:-0}" \
            -v p95="${p95:-0}" -v e="${errs:-0}" -v pp="$ppid" -v p0="$p0" -v p1="$p1" -v d0="$d0" -v d1="$d1" \
            -v m0="$m0" -v m1="$m1" -v hz="$HZ" -v reads="$reads" 'BEGIN {
      pc = (p1 - p0) / hz; dc = (d1 - d0) / hz; split(m0, a, " "); split(m1, b, " ")
      busy = (b[2] - a[2]) > 0 ? 100 * (b[1] - a[1]) / (b[2] - a[2]) : 0
      printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.4f\t%.0f\t%s\n", r, t, n, tps, qps, q, p95, e,
        (pp == "" ? "-" : sprintf("%.2f", pc)), (pp == "" || q == 0 ? "-" : sprintf("%.4f", 1e6 * pc / q)),
        (q == 0 ? 0 : 1e6 * dc / q), busy, reads }')
  [ "$round" = warmup ] || echo "$row" >> "$RESULTS/runs.tsv"
  log "$(awk -F'\t' '{printf "%-7s %-18s %-10s tps=%-9s qps=%-9s p95=%-6s proxy_cpu=%ss (%s ms/1kq) db=%s ms/1kq busy=%s%% selects=[%s]", $1, $2, $3, $4, $5, $7, $9, $10, $11, $12, $13}' <<<"$row")"
}

log "targets: ${TARGETS[*]}; tests: $TESTS; $THREADS threads, ${SECS}s x $ROUNDS rounds (+${WARMUP_SECS}s warm-up); results in $RESULTS"
if [ "$WARMUP_SECS" -gt 0 ]; then
  for test in $TESTS; do for tg in "${TARGETS[@]}"; do run_one warmup "$test" "$tg" "$WARMUP_SECS"; done; done
fi
n=${#TARGETS[@]}
for r in $(seq 1 "$ROUNDS"); do
  for test in $TESTS; do
    for k in $(seq 0 $((n - 1))); do run_one "$r" "$test" "${TARGETS[$(( (k + r - 1) % n ))]}" "$SECS"; done
  done
done

# ---------------------------------------------------------------- summary: medians per (test, target)
{
  echo "sysbench $THREADS threads, ${SECS}s per run, $ROUNDS rounds interleaved; $(nproc) CPUs; $(date -Is)"
  echo "router=$ROUTER, $REPLICAS replica(s), --db-ps-mode=$PS_MODE ${SB_OPTS:+$SB_OPTS }(direct = the primary)"
  echo "load average at the end (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine makes every number noisy)"
  echo "sluice java opts: $SLUICE_JAVA_OPTS; haproxy $(haproxy -v | awk 'NR==1{print $3}') nbthread=${HAPROXY_NBTHREAD:-default}"
  awk -F'\t' '
    function median(s,   a, m, i, j, t) { m = split(s, a, " "); if (m == 0) return "-"
      for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j+1] = a[j]; a[j+1] = t }
      return (m % 2) ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2 }
    NR == 1 { next }
    { k = $2 SUBSEP $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
      tps[k] = tps[k] " " $4; p95[k] = p95[k] " " $7; all[k] = all[k] " " $4
      if ($10 != "-") pcpu[k] = pcpu[k] " " $10
      dcpu[k] = dcpu[k] " " $11; busy[k] = busy[k] " " $12; if ($8 !~ /^[0-9]+$/) bad[k]++
      nn = split($13, c, " "); if (nn > nodes) nodes = nn; for (j = 1; j <= nn; j++) sel[k, j] += c[j] }
    END {
      printf "%-18s %-10s %10s %9s %9s %8s %14s %12s %6s  %s\n", "test", "target", "median_tps", "/haproxy", "/direct",
        "p95_ms", "proxy_ms/1kq", "db_ms/1kq", "busy%", "tps per round"
      for (i = 1; i <= n; i++) { k = order[i]; split(k, kk, SUBSEP)
        m = median(tps[k]); h = median(tps[kk[1] SUBSEP "haproxy"]); d = median(tps[kk[1] SUBSEP "direct"])
        printf "%-18s %-10s %10.1f %9s %9s %8s %14s %12.3f %6s  %s%s\n", kk[1], kk[2], m,
          (h + 0 > 0 ? sprintf("%.3f", m / h) : "-"), (d + 0 > 0 ? sprintf("%.3f", m / d) : "-"),
          median(p95[k]), median(pcpu[k]), median(dcpu[k]), median(busy[k]), all[k], (bad[k] ? " FAILED RUNS: " bad[k] : "") }
      printf "\nwhere the reads ran: share of the Com_select increments during the runs (all rounds)\n%-18s %-10s", "test", "target"
      for (j = 1; j <= nodes; j++) printf " %9s", "db" j (j == 1 ? "(prim)" : "")
      printf "\n"
      for (i = 1; i <= n; i++) { k = order[i]; split(k, kk, SUBSEP); tot = 0
        for (j = 1; j <= nodes; j++) tot += sel[k, j]
        printf "%-18s %-10s", kk[1], kk[2]
        for (j = 1; j <= nodes; j++) printf " %8.1f%%", (tot > 0 ? 100 * sel[k, j] / tot : 0)
        printf "\n" }
    }' "$RESULTS/runs.tsv"
} | tee "$RESULTS/summary.txt"
log "per-run data: $RESULTS/runs.tsv, raw sysbench output: $RESULTS/sysbench.log"
