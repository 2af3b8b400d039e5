#!/usr/bin/env bash
# dist-windows.sh — cross-builds dist/occhealth.exe and the NSIS installer, then checks them.
#
# Steps: icon.png → .ico (ImageMagick); manifest + icon + VERSIONINFO → .rc → windres →
# rsrc_windows_amd64.syso in the repo root (go build links every .syso of the package; the
# file is removed again on exit and never committed); mingw cgo build with -H=windowsgui;
# the same linked for the console as occhealth.com; makensis; then
# scripts/check-windows-exe.sh and GOOS=windows go vet.
#
# Environment: VERSION (free text, e.g. git describe), NUMVER (a.b.c.d), TAGS (go build tags).
# Cold build ≈ 4.5 min on an idle 2-core machine (cgo GLFW for Windows), then seconds.
set -euo pipefail

cd "$(dirname "$0")/.."
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
NUMVER=${NUMVER:-0.0.0.0}
TAGS=${TAGS:-}
GO=${GO:-go}
ICON_PNG=${ICON_PNG:-assets/icon.png}

[[ "$NUMVER" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "dist-windows: NUMVER '$NUMVER' is not a.b.c.d" >&2; exit 1; }
[ -f "$ICON_PNG" ] || { echo "dist-windows: $ICON_PNG missing (the program icon, 512x512 PNG)" >&2; exit 1; }
for tool in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-windres x86_64-w64-mingw32-objdump makensis convert; do
	command -v "$tool" >/dev/null 2>&1 || { echo "dist-windows: $tool not found (make deps-dist)" >&2; exit 1; }
done

work=bin/windows
syso=rsrc_windows_amd64.syso
mkdir -p "$work" dist
trap 'rm -f "$syso"' EXIT

echo "dist-windows: resources (version $VERSION, $NUMVER)"
convert "$ICON_PNG" -background none -define icon:auto-resize=256,128,64,48,32,24,16 "$work/occhealth.ico"
sed -e "s/@NUMVER@/$NUMVER/g" packaging/windows/occhealth.exe.manifest.in >"$work/occhealth.exe.manifest"
sed -e "s#@ICO@#occhealth.ico#g" \
	-e "s#@MANIFEST@#occhealth.exe.manifest#g" \
	-e "s#@NUMVER_COMMAS@#${NUMVER//./,}#g" \
	-e "s#@NUMVER@#$NUMVER#g" \
	-e "s#@VERSION@#$VERSION#g" \
	packaging/windows/occhealth.rc.in >"$work/occhealth.rc"
# windres resolves the file names in the .rc relative to its include path.
x86_64-w64-mingw32-windres -I "$work" -O coff -i "$work/occhealth.rc" -o "$syso"

echo "dist-windows: go build (GOOS=windows, cgo with mingw)"
# No -trimpath: go vet below (and make check-windows) compile with the default flags, and
# would otherwise redo the whole cold cgo build for Windows a second time.
start=$SECONDS
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	"$GO" build ${TAGS:+-tags "$TAGS"} \
	-ldflags "-H=windowsgui -s -w -X main.version=$VERSION" -o dist/occhealth.exe .
echo "dist-windows: built dist/occhealth.exe in $((SECONDS - start)) s ($(du -h dist/occhealth.exe | cut -f1))"
# The same program linked for the console subsystem, as occhealth.com beside the .exe:
# cmd.exe and PowerShell do not wait for a GUI-subsystem program nor pass on its exit
# code, and `occhealth backup` typed without an extension finds .com first (PATHEXT).
# Only the link differs, so this takes seconds.
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	"$GO" build ${TAGS:+-tags "$TAGS"} \
	-ldflags "-s -w -X main.version=$VERSION" -o dist/occhealth.com .
rm -f "$syso"
echo "dist-windows: built dist/occhealth.com (console subsystem) in $((SECONDS - start)) s total"

scripts/check-windows-exe.sh dist/occhealth.exe gui
scripts/check-windows-exe.sh dist/occhealth.com console

echo "dist-windows: installer (makensis)"
out="dist/occhealth-setup-$VERSION.exe"
makensis -V2 -INPUTCHARSET UTF8 \
	-DVERSION="$VERSION" -DNUMVER="$NUMVER" \
	-DEXE="$PWD/dist/occhealth.exe" -DCOM="$PWD/dist/occhealth.com" -DICON="$PWD/$work/occhealth.ico" \
	-DOUTFILE="$PWD/$out" \
	packaging/windows/installer.nsi
echo "dist-windows: $out ($(du -h "$out" | cut -f1))"
if command -v 7z >/dev/null 2>&1; then
	echo "dist-windows: installer contents (7z l):"
	7z l "$out" | sed -n '/^   Date/,$p'
fi

echo "dist-windows: GOOS=windows go vet ./..."
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc "$GO" vet ${TAGS:+-tags "$TAGS"} ./...
echo "dist-windows: ok"
