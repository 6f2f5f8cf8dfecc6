#!/usr/bin/env bash
# Bochs without a window (make bochs-nox): a tmux session of two panes,
#
#   top     the guest's COM1: Drake's shell, typed to and printed on here
#   bottom  Bochs and its debugger (Ctrl-C breaks in, `c` goes on, `q` quits)
#
# Why tmux: Bochs' debugger owns its terminal (stdin and stdout), and its
# `term` display draws the VGA screen on a pty of its own that no terminal
# shows, so neither carries the guest's console. COM1 in `mode=term` can
# use any tty, so the top pane's tty becomes COM1 (Bochs puts it in raw
# mode; the pane itself only runs `sleep`, so Bochs is its only reader).
# Nothing listens on a network port.
#
# Usage: tools/bochs-nox.sh ISO RCFILE
# Environment: BUILD (output dir), BXSHARE, VGABIOS as for tools/bochsrc;
#   DRAKE_NOX_SOCKET  tmux server name (-L), default drake-bochs-PID
#   DRAKE_NOX_DETACH  1: leave the session detached (tests drive it with
#                     tmux send-keys/capture-pane), else attach when stdin
#                     is a terminal
# Logs: $BUILD/bochs-serial.log (COM1, via tmux pipe-pane) and
# $BUILD/bochs-debugger.log (the debugger's transcript, -dbglog).
set -eu
cd "$(dirname "$0")/.."

# The bottom pane runs this script again with --bochs, once the top
# pane has said which tty it is.
if [ "${1:-}" = --bochs ]; then
	iso=$2 rc=$3 ttyfile=$4 socket=$5
	for _ in $(seq 100); do
		[ -s "$ttyfile" ] && break
		sleep 0.05
	done
	rc_status=0
	# A bochsrc line on the command line overrides the file's COM1.
	DRAKE_ISO=$iso DRAKE_SERIAL=/dev/null DRAKE_DISPLAY=term \
		BXSHARE=$BXSHARE VGABIOS=$VGABIOS \
		bochs -q -f tools/bochsrc -rc "$rc" \
		-dbglog "$BUILD/bochs-debugger.log" \
		"com1: enabled=1, mode=term, dev=$(cat "$ttyfile")" || rc_status=$?
	# Bochs has quit: the session has nothing more to show.
	tmux -L "$socket" kill-server 2>/dev/null || true
	exit "$rc_status"
fi

iso=${1:?usage: tools/bochs-nox.sh ISO RCFILE}
rc=${2:?usage: tools/bochs-nox.sh ISO RCFILE}
# Absolute, because tmux runs the panes' commands in its own directory.
BUILD=$(cd "${BUILD:-build}" && pwd)
export BUILD BXSHARE=${BXSHARE:-/usr/share/bochs} \
	VGABIOS=${VGABIOS:-/usr/share/vgabios/vgabios.bin}
command -v tmux >/dev/null || { echo "bochs-nox: tmux is missing (run tools/deps.sh)" >&2; exit 1; }
socket=${DRAKE_NOX_SOCKET:-drake-bochs-$$}
ttyfile=$BUILD/bochs-nox.tty
rm -f "$ttyfile"
: >"$BUILD/bochs-serial.log"

# Size the session like the terminal it will be shown in (a detached
# session gets 120x40).
cols=120 lines=40
if [ -t 0 ] && size=$(stty size 2>/dev/null); then
	read -r lines cols <<<"$size"
fi

t() { tmux -L "$socket" "$@"; }

# -f /dev/null: the user's own tmux.conf does not change the keys below.
t -f /dev/null new-session -d -s drake -x "$cols" -y "$lines" \
	"tty >'$ttyfile'; echo 'COM1: the Drake shell (Bochs is starting below)'; exec sleep 2147483647"
t set-option -g mouse on >/dev/null
t set-option -g status-left-length 100 >/dev/null
t set-option -g status-left \
	' Drake/Bochs: Ctrl-b o other pane (or click) | Ctrl-C in the debugger pane breaks in | q quits ' >/dev/null
t set-option -g status-right '' >/dev/null
t pipe-pane -t drake:0.0 "cat >>'$BUILD/bochs-serial.log'"
t split-window -v -t drake:0.0 -p 60 \
	"'$PWD/tools/bochs-nox.sh' --bochs '$iso' '$rc' '$ttyfile' '$socket'"
t select-pane -t drake:0.0

if [ "${DRAKE_NOX_DETACH:-0}" = 1 ] || [ ! -t 0 ]; then
	echo "bochs-nox: running in tmux -L $socket (session drake); panes 0 (COM1), 1 (debugger)"
	exit 0
fi
# Attach even from inside another tmux (TMUX unset): that is a nested
# session, whose prefix is then Ctrl-b Ctrl-b.
# tmux reports the session's end (Bochs quit) as a failure: it is not one.
TMUX='' t attach -t drake || true
echo "bochs-nox: Bochs has quit; COM1 in $BUILD/bochs-serial.log, the debugger's transcript in $BUILD/bochs-debugger.log"
