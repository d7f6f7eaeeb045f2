# Shared by scripts/run and scripts/test: install what is missing (Debian 12), configure, build.
# Sourced, not run.

set -euo pipefail

LEADKEEPER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Every Debian 12 package the build, the tests and the desk need. Nothing is downloaded at build time.
LEADKEEPER_PACKAGES=(
    cmake g++ make pkg-config
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev
    libqt6sql6-sqlite qt6-qpa-plugins
    nlohmann-json3-dev libphonenumber-dev qtkeychain-qt6-dev
    xvfb xauth sqlite3 openssl curl
)

lk_say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

lk_install_missing() {
    local missing=()
    for p in "${LEADKEEPER_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    lk_say "Installing missing Debian packages: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# lk_build BUILD_DIR [cmake options...]
lk_build() {
    local dir="$1"
    shift
    local launcher=()
    if command -v ccache >/dev/null 2>&1; then
        launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    lk_say "Configuring $dir"
    cmake -S "$LEADKEEPER_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
    lk_say "Building $dir"
    cmake --build "$dir" --parallel "$(nproc)"
}
