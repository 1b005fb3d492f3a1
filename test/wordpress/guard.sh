#!/bin/sh
# guard.sh [--remove-on-orphan DIR] -- COMMAND [ARG...]
#
# Runs COMMAND and makes sure it cannot outlive the Node process that started it, even when
# that process is killed with SIGKILL (a killed test run, a closed terminal): Node holds the
# write end of this script's stdin, and the kernel closes it when Node dies however it dies.
# On that end-of-file the watcher stops COMMAND and, when asked, removes the throw-away data
# directory.
#
# Node starts this script as the leader of its own process group, and stopping means TERM
# to the whole group: PHP's built-in server with PHP_CLI_SERVER_WORKERS forks workers that
# keep serving when only their parent is killed.
remove=""
if [ "$1" = "--remove-on-orphan" ]; then remove=$2; shift 2; fi
[ "$1" = "--" ] && shift

# Background jobs of a non-interactive shell get /dev/null as stdin: keep the pipe as fd 3.
exec 3<&0
"$@" </dev/null 3<&- &
child=$!

stop_all() {
  trap '' TERM INT HUP
  # The group when this script leads one, else just the command. (dash: no "--" before -PGID.)
  kill -TERM "-$$" 2>/dev/null || kill -TERM "$child" 2>/dev/null
}
trap stop_all TERM INT HUP

(
  trap - TERM INT HUP
  cat <&3 >/dev/null
  # Orphaned: finish even though stopping the group below signals this watcher too.
  trap '' TERM INT HUP
  kill -TERM "-$$" 2>/dev/null || kill -TERM "$child" 2>/dev/null || exit 0
  i=0
  while kill -0 "$child" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -ge 50 ] && kill -KILL "$child" 2>/dev/null
    sleep 0.2
  done
  [ -n "$remove" ] && rm -rf -- "$remove"
) &
watcher=$!
exec 3<&-

# `wait` returns early when a trapped signal arrives; keep waiting until the child is gone.
status=0
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
kill "$watcher" 2>/dev/null
exit "$status"
