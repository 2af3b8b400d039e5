#!/usr/bin/env bash
# dist-linux.sh — dist/occhealth and dist/occhealth-VERSION-linux-amd64.tar.gz
# (binary, .desktop entry, icon, font licences; see packaging/linux/README.md).
set -euo pipefail

cd "$(dirname "$0")/.."
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
TAGS=${TAGS:-}
GO=${GO:-go}

mkdir -p dist
echo "dist-linux: go build (version $VERSION)"
start=$SECONDS
# No -trimpath here: it would change every compile action and redo the cold cgo build
# that `make build` has already cached; -s -w only affect the link.
CGO_ENABLED=1 "$GO" build ${TAGS:+-tags "$TAGS"} \
	-ldflags "-s -w -X main.version=$VERSION" -o dist/occhealth .
echo "dist-linux: built dist/occhealth in $((SECONDS - start)) s ($(du -h dist/occhealth | cut -f1))"

name="occhealth-$VERSION-linux-amd64"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/licenses"
cp dist/occhealth "$stage/$name/"
cp packaging/linux/occhealth.desktop packaging/linux/README.md "$stage/$name/"
if [ -f assets/icon.png ]; then
	cp assets/icon.png "$stage/$name/occhealth.png"
else
	echo "dist-linux: warning: assets/icon.png missing, tarball has no icon" >&2
fi
for f in assets/fonts/*.txt assets/fonts/*.TXT; do
	[ -f "$f" ] && cp "$f" "$stage/$name/licenses/"
done
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "dist-linux: dist/$name.tar.gz"
tar -tzf "dist/$name.tar.gz" | sed 's/^/  /'
