#!/usr/bin/env bash
# window-check.sh BIN — end-to-end check of the real GUI binary under Xvfb.
#
# For each screen size: makes a demo archive in a temp dir (`BIN demo`), starts
# `BIN --db ARCHIVE` under xvfb-run, waits for the window by title (xdotool), takes a
# screenshot, and fails unless tesseract (chi_sim) reads 职业健康工作站 from it and the
# window title says 演示数据. While the first instance runs, a second start on the same
# archive must exit promptly, non-zero, saying 已在运行 or 已打开 on stderr.
#
# Builds nothing (make test passes a -race build: a data race reported while it runs fails
# the check). Screenshots and logs are kept in $SCREENS_DIR (default bin/screens/).
# Needs: xvfb-run xauth xdotool import(ImageMagick) tesseract + chi_sim.
#
# Environment:
#   SIZES          screen sizes, default "1366x768 1024x768"
#   SCREENS_DIR    where screenshots and logs go, default bin/screens
#   WINDOW_TIMEOUT seconds to wait for the window, default 60 (a -race build on a busy
#                  2-core machine takes 10 s or more to show it)
#   DEMO_WORKERS   workers in the demo archive, default 200
#   STRICT_THREADS=1 also fail when Fyne logs "Error in Fyne call thread"
set -euo pipefail

TITLE='职业健康工作站'
DEMO_MARK='演示数据'
export LANG=C.UTF-8 LC_ALL=C.UTF-8 # xdotool matches UTF-8 titles only in a UTF-8 locale

die() { echo "window-check: FAIL: $*" >&2; exit 1; }
say() { echo "window-check: $*"; }

# The part that runs inside xvfb-run: one screen size, one display.
if [ "${1:-}" = "--inner" ]; then
	bin=$2 db=$3 size=$4 out=$5
	log="$out/app-$size.log"
	shot="$out/login-$size.png"
	: >"$log"

	"$bin" --db "$db" >"$log" 2>&1 &
	pid=$!
	cleanup() {
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
			kill -9 "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
	}
	trap cleanup EXIT

	fail_inner() {
		echo "window-check: FAIL [$size]: $*" >&2
		echo "---- last lines of $log ----" >&2
		tail -n 20 "$log" >&2 || true
		exit 1
	}

	wid=""
	deadline=$((SECONDS + ${WINDOW_TIMEOUT:-60}))
	while [ -z "$wid" ]; do
		kill -0 "$pid" 2>/dev/null || fail_inner "the program exited before showing a window"
		wid=$(xdotool search --name "$TITLE" 2>/dev/null | head -n 1 || true)
		[ -n "$wid" ] && break
		[ "$SECONDS" -ge "$deadline" ] && fail_inner "no window titled '$TITLE' within ${WINDOW_TIMEOUT:-60}s"
		sleep 0.5
	done
	name=$(xdotool getwindowname "$wid" 2>/dev/null || true)
	echo "window-check: [$size] window $wid: $name"
	# There is no window manager under Xvfb to shrink a window that is larger than the screen,
	# but a user's small laptop screen shows the same cut-off.
	eval "$(xdotool getwindowgeometry --shell "$wid" 2>/dev/null | grep -E '^(WIDTH|HEIGHT)=[0-9]+$')"
	if [ "${WIDTH:-0}" -gt "${size%x*}" ] || [ "${HEIGHT:-0}" -gt "${size#*x}" ]; then
		fail_inner "the window is ${WIDTH}x${HEIGHT}, larger than the ${size} screen: part of it would be off screen"
	fi
	case "$name" in
	*"$DEMO_MARK"*) ;;
	*) fail_inner "window title '$name' does not say $DEMO_MARK on a demo archive" ;;
	esac

	# The window exists before its first frame is drawn: retry the OCR a few times.
	text=""
	for attempt in 1 2 3 4 5 6; do
		sleep 2
		import -window root "$shot"
		text=$(tesseract "$shot" - -l chi_sim 2>/dev/null || true)
		flat=$(printf '%s' "$text" | tr -d ' \t\r\n')
		if [[ "$flat" == *"$TITLE"* ]]; then
			break
		fi
		# Small text is read better at twice the size.
		convert "$shot" -resize 200% "$out/ocr-$size.png"
		text=$(tesseract "$out/ocr-$size.png" - -l chi_sim 2>/dev/null || true)
		rm -f "$out/ocr-$size.png"
		flat=$(printf '%s' "$text" | tr -d ' \t\r\n')
		if [[ "$flat" == *"$TITLE"* ]]; then
			break
		fi
		[ "$attempt" -eq 6 ] && {
			echo "---- OCR text ----" >&2
			printf '%s\n' "$text" >&2
			fail_inner "OCR did not read '$TITLE' from $shot (a black or boxed window?)"
		}
	done
	printf '%s\n' "$text" >"$out/ocr-$size.txt"
	echo "window-check: [$size] OCR read $TITLE; screenshot $shot"

	# Second start on the same archive: must refuse quickly and say why.
	set +e
	second=$(timeout 20 "$bin" --db "$db" 2>&1 >/dev/null)
	rc=$?
	set -e
	printf '%s\n' "$second" >"$out/second-start-$size.log"
	if [ "$rc" -eq 124 ]; then
		fail_inner "a second start on the same archive did not exit within 20s (hangs on the lock?)"
	fi
	[ "$rc" -ne 0 ] || fail_inner "a second start on the same archive exited 0"
	case "$second" in
	*已在运行* | *已打开*) ;;
	*) fail_inner "a second start exited $rc but stderr does not say 已在运行 or 已打开: $second" ;;
	esac
	echo "window-check: [$size] second start refused (exit $rc): $(printf '%s\n' "$second" | grep -E '已在运行|已打开' | head -n 1)"

	kill -0 "$pid" 2>/dev/null || fail_inner "the first instance died during the check"
	# A -race build (make test uses one) reports races on stderr and carries on.
	if grep -q 'WARNING: DATA RACE' "$log"; then
		echo "---- race report ----" >&2
		sed -n '/WARNING: DATA RACE/,/^==================$/p' "$log" | head -n 60 >&2
		fail_inner "data race in the running program (full log: $log)"
	fi
	if grep -q 'Error in Fyne call thread' "$log"; then
		echo "window-check: WARNING [$size]: Fyne reports widgets touched off the UI thread (see $log)" >&2
		[ "${STRICT_THREADS:-0}" = 1 ] && fail_inner "thread errors logged"
	fi
	exit 0
fi

bin=${1:-}
[ -n "$bin" ] || die "usage: $0 BIN"
[ -x "$bin" ] || die "$bin is not an executable (run make build first)"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac

for tool in xvfb-run xauth xdotool import convert tesseract timeout; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found (make deps-test installs it)"
done
tesseract --list-langs 2>/dev/null | grep -qx chi_sim || die "tesseract has no chi_sim (apt-get install tesseract-ocr-chi-sim)"

out=${SCREENS_DIR:-bin/screens}
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
for size in ${SIZES:-1366x768 1024x768}; do
	db="$tmp/$size/demo.db"
	mkdir -p "$tmp/$size"
	# The demo and the GUI share a throwaway home: preferences, config and keys stay out
	# of the user's own.
	export HOME="$tmp/$size" XDG_CONFIG_HOME="$tmp/$size/config" XDG_DATA_HOME="$tmp/$size/data"
	say "[$size] demo archive: $bin demo --db $db --workers ${DEMO_WORKERS:-200} --seed 1"
	if ! "$bin" demo --db "$db" --workers "${DEMO_WORKERS:-200}" --seed 1 >"$out/demo-$size.log" 2>&1 </dev/null; then
		tail -n 20 "$out/demo-$size.log" >&2
		die "[$size] demo failed"
	fi
	# -a picks a free display from -n on; starting at a random number keeps two checks that
	# start at the same moment (other developers, CI) off each other's display. A display
	# that goes away under the program is retried once; anything else fails at once.
	ok=0
	for try in 1 2; do
		if xvfb-run -a -n $((100 + RANDOM % 800)) -e "$out/xvfb-$size.log" -s "-screen 0 ${size}x24 -nolisten tcp" \
			bash "$0" --inner "$bin" "$db" "$size" "$out" </dev/null; then
			ok=1
			break
		fi
		if [ "$try" -eq 1 ] && grep -q 'Failed to open display' "$out/app-$size.log" 2>/dev/null; then
			say "[$size] the X display went away under the program; trying once more"
			continue
		fi
		break
	done
	[ "$ok" -eq 1 ] || die "[$size] see the messages above; screenshots and logs in $out"
	passed=$((passed + 1))
done
say "ok: $passed screen sizes; screenshots in $out"
