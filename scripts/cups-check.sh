#!/usr/bin/env bash
# cups-check.sh — makes the CUPS print test possible: starts the CUPS scheduler when it is not
# running (directly, as CI containers have no systemd), adds the virtual PDF queue OCC-PDF of
# Debian's printer-driver-cups-pdf with its files written to $OUT, and checks that it answers.
#
# On success prints the environment for go test (OCCHEALTH_CUPS_TEST=1 …) on stdout.
# Not root and the queue absent: prints nothing and says why on stderr (the test is skipped).
# Root and something does not work: exit 1 (make test fails rather than skipping silently).
set -euo pipefail

QUEUE=OCC-PDF
INSTANCE=occhealth # cups-pdf:/occhealth reads /etc/cups/cups-pdf-occhealth.conf
OUT=/var/spool/cups-pdf/occhealth-test

ready() { LC_ALL=C lpstat -p "$QUEUE" >/dev/null 2>&1; }
say() { echo "cups-check: $*" >&2; }

if ! command -v lpstat >/dev/null || ! command -v lpadmin >/dev/null || [ ! -x /usr/lib/cups/backend/cups-pdf ]; then
	if [ "$(id -u)" -eq 0 ]; then
		say "cups, cups-client or printer-driver-cups-pdf missing (make deps-test installs them)"
		exit 1
	fi
	say "CUPS or cups-pdf not installed: the CUPS print test is skipped"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	if ready && [ -d "$OUT" ]; then
		echo "OCCHEALTH_CUPS_TEST=1 OCCHEALTH_CUPS_QUEUE=$QUEUE OCCHEALTH_CUPS_OUT=$OUT"
	else
		say "not root and queue $QUEUE not set up: the CUPS print test is skipped (run make test as root once)"
	fi
	exit 0
fi

if ! LC_ALL=C lpstat -r 2>/dev/null | grep -q "scheduler is running"; then
	say "starting cupsd"
	mkdir -p /run/cups
	cupsd
	for _ in $(seq 1 50); do
		LC_ALL=C lpstat -r 2>/dev/null | grep -q "scheduler is running" && break
		sleep 0.2
	done
	if ! LC_ALL=C lpstat -r 2>/dev/null | grep -q "scheduler is running"; then
		say "cupsd did not start; see /var/log/cups/error_log"
		exit 1
	fi
fi

mkdir -p "$OUT"
chmod 1777 "$OUT"
conf=/etc/cups/cups-pdf-$INSTANCE.conf
want="Out $OUT
AnonDirName $OUT
Label 0
UserUMask 0000"
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
	printf '%s\n' "$want" >"$conf"
fi

if ! ready; then
	ppd=$(LC_ALL=C lpinfo -m 2>/dev/null | awk '/CUPS-PDF_opt\.ppd/ {print $1; exit}')
	if [ -z "$ppd" ]; then
		say "the cups-pdf PPD (CUPS-PDF_opt.ppd) is not known to CUPS"
		exit 1
	fi
	lpadmin -p "$QUEUE" -E -v "cups-pdf:/$INSTANCE" -m "$ppd" -D "职业健康工作站测试 PDF 打印机" -L "虚拟打印机" 2>/dev/null
fi
cupsenable "$QUEUE"
cupsaccept "$QUEUE"
if ! ready; then
	say "queue $QUEUE does not answer"
	exit 1
fi
echo "OCCHEALTH_CUPS_TEST=1 OCCHEALTH_CUPS_QUEUE=$QUEUE OCCHEALTH_CUPS_OUT=$OUT"
