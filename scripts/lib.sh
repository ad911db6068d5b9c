# Shared by scripts/run, scripts/test and scripts/bench: package installation
# and the build. Source it; it defines functions only.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Packages to build and run the engine.
RUN_PACKAGES="build-essential cmake pkg-config libmicrohttpd-dev libsqlite3-dev libjansson-dev
  libqrencode-dev libsodium-dev libutf8proc-dev libcairo2-dev libxlsxwriter-dev
  fonts-dejavu-core curl"
# And to test it: unit tests, fuzzing (clang + its sanitizer runtimes), the
# browser tests (Debian's chromium driven by playwright-core from npm), PDF
# and QR tools, and the load generator.
TEST_PACKAGES="libcmocka-dev clang libclang-rt-14-dev nodejs npm chromium zbar-tools
  poppler-utils unzip wrk valgrind"

# Installs the named Debian packages that are missing; nothing when all are there.
ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # node and npm may come from elsewhere (the image's own Node.js): accept them.
  local filtered=()
  for p in "${missing[@]}"; do
    case "$p" in
      nodejs) command -v node >/dev/null || filtered+=("$p") ;;
      npm) command -v npm >/dev/null || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  [ ${#filtered[@]} -eq 0 ] && return 0
  echo "==> installing: ${filtered[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq </dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${filtered[@]}" </dev/null
}

# cmake_build DIR [cmake options...]: configures and builds; on failure shows
# the compiler's errors.
cmake_build() {
  local dir=$1
  shift
  local log="$ROOT/$dir.log"
  mkdir -p "$ROOT/$dir"
  if ! { cmake -S "$ROOT" -B "$ROOT/$dir" "$@" && cmake --build "$ROOT/$dir" -j"$(nproc)"; } >"$log" 2>&1; then
    grep -E 'error|Error' "$log" | head -40 >&2
    echo "build of $dir failed (full log: $log)" >&2
    return 1
  fi
}

# The test dependencies from npm (playwright-core only), from the lock file.
ensure_node_modules() {
  if [ ! -d "$ROOT/tests/node_modules/playwright-core" ]; then
    echo "==> npm ci (tests/)"
    (cd "$ROOT/tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error </dev/null)
  fi
}
