#!/bin/bash
# Makes $SHOTS/desk-detail.png (the desk, an Error lead selected, Overview tab: the README's main
# screenshot) and $SHOTS/desk-detail-history.png (same lead, History tab) from the real flow:
# try-meta stand-in + config import + "Fetch forms from Meta" in the desk + signed webhooks
# processed by the desk itself. Everything lives under $SHOTS (default /tmp/shots; its home folder
# and database are made anew each run); the checkout is not touched. Build first (scripts/run or scripts/test), then:
#   bash docs/screenshots/make-desk-detail.sh     (about 3 minutes; needs xvfb xdotool imagemagick
#                                                  openssl curl python3)
# and copy $SHOTS/desk-detail.png over docs/screenshots/desk-detail.png.
set -euo pipefail

S=${SHOTS:-/tmp/shots}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
B=${LEADKEEPER_BINARY:-$REPO/build/release/app/leadkeeper}  # the built binary, used as is
[ -x "$B" ] || B=$REPO/build/test/app/leadkeeper
[ -x "$B" ] || { echo "no leadkeeper binary: build first (scripts/run or scripts/test)"; exit 1; }
DISP=:77                                         # Xvfb display
GRAPH_PORT=28788 LISTEN_PORT=28787               # free ports (checked below)
mkdir -p $S && cd $S

# --- a fresh HOME / XDG config and database ---------------------------------------------------
rm -rf $S/home $S/desk.db $S/desk.db-wal $S/desk.db-shm
mkdir -p $S/home
cat > $S/env.sh <<EOF
export B=$B
export HOME=$S/home
export XDG_CONFIG_HOME=$S/home/.config XDG_DATA_HOME=$S/home/.local/share XDG_CACHE_HOME=$S/home/.cache
export XDG_RUNTIME_DIR=$S/home/runtime
export USER=sam                                  # the staff member a CLI "loss" is recorded for
export LEADKEEPER_SECRET_STORE=file              # page token into an owner-only file under HOME
export LEADKEEPER_APP_SECRET=my-app-secret LEADKEEPER_VERIFY_TOKEN=my-verify-token
export LEADKEEPER_GRAPH_URL=http://127.0.0.1:$GRAPH_PORT
export DB=$S/desk.db LISTEN=127.0.0.1:$LISTEN_PORT
export DISPLAY=$DISP
EOF
. $S/env.sh
mkdir -p -m 700 $XDG_RUNTIME_DIR
for p in $GRAPH_PORT $LISTEN_PORT; do
  ! ss -ltn | grep -q ":$p " || { echo "port $p is taken"; exit 1; }
done

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# --- 1. the stand-in for Meta's Graph API ----------------------------------------------------
nice -n 10 $B try-meta --listen 127.0.0.1:$GRAPH_PORT > $S/trymeta.log 2>&1 &
PIDS+=($!)

# --- 2. the page, its token and the mapped form "Roof quote" (config import) ------------------
cat > $S/acme.json <<'EOF'
{
  "format": "leadkeeper-config",
  "version": 1,
  "pages": [
    {
      "page_id": "1029384756473829",
      "name": "Acme Roofing",
      "enabled": true,
      "default_region": "US",
      "access_token": "try-token",
      "forms": [
        {
          "form_id": "5647382910564738",
          "form_name": "Roof quote",
          "enabled": true,
          "questions": [
            {"key": "full_name", "label": "Full name", "type": "FULL_NAME"},
            {"key": "email", "label": "Email", "type": "EMAIL"},
            {"key": "phone_number", "label": "Phone number", "type": "PHONE"},
            {"key": "city", "label": "City", "type": "CITY"}
          ],
          "mapping": [
            {"question": "full_name", "field": "customer_name", "default": "", "transform": "trim|capitalize", "mandatory": true},
            {"question": "email", "field": "email", "transform": "trim"},
            {"question": "phone_number", "field": "phone", "transform": "phone", "mandatory": true},
            {"question": "city", "field": "city", "transform": "trim"}
          ]
        }
      ]
    }
  ]
}
EOF
$B --db $DB config import $S/acme.json
$B --db $DB config show

# --- 3. the desk under Xvfb, 1400x780, window filling the screen (no window manager) ----------
Xvfb $DISP -screen 0 1400x780x24 -nolisten tcp > $S/xvfb.log 2>&1 &
PIDS+=($!)
sleep 1
nice -n 10 $B --db $DB --listen $LISTEN > $S/desk.log 2>&1 &
PIDS+=($!)
W=$(xdotool search --sync --onlyvisible --name '^Leadkeeper$' | head -1)
xdotool windowmove $W 0 0 windowsize $W 1400 780
sleep 1

# Setup > Pages and forms... > Test token, Fetch forms from Meta (stores "Gutter cleaning",
# which stays unmapped), Close.
xdotool mousemove 70 9 click 1; sleep 0.7
xdotool mousemove 130 29 click 1
D=$(xdotool search --sync --onlyvisible --name '^Pages and forms$' | head -1); sleep 1
xdotool mousemove --window $D 1036 160 click 1; sleep 1.5        # Test token
xdotool mousemove --window $D 578 555 click 1                    # Fetch forms from Meta
for i in $(seq 20); do grep -q leadgen_forms $S/trymeta.log && break; sleep 0.5; done
sleep 1
import -window root $S/pages-dialog-try.png                       # for checking only
xdotool mousemove --window $D 1048 616 click 1; sleep 1           # Close

# --- 4. 60 signed webhooks, ~2.5 minutes apart in total -------------------------------------
# slots 9, 31, 52: ids ending in 99 (try-meta gives phone "12345" -> Error)
# slots 14, 27, 40, 57: ids ending in 8, form "Gutter cleaning" (unmapped -> Unconfigured)
# all others: "Roof quote" -> Processed. Ids whose made-up person has a name already used are
# skipped (try-meta has only 16x16 names), so the table shows no look-alike duplicates.
send() { # ID FORM AD ADSET
  local NOW=$(date +%s) BODY SIG
  BODY='{"object":"page","entry":[{"id":"1029384756473829","time":'$NOW',"changes":[{"field":"leadgen","value":{"leadgen_id":"'$1'","page_id":"1029384756473829","form_id":"'$2'","ad_id":"'$3'","adgroup_id":"'$4'","created_time":'$((NOW-5))'}}]}]}'
  SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$LEADKEEPER_APP_SECRET" | sed 's/^.*= //')
  echo "$1 $(curl -s -H "Content-Type: application/json" -H "X-Hub-Signature-256: sha256=$SIG" -d "$BODY" http://$LISTEN/webhooks/meta)"
}
name_of() { curl -s "$LEADKEEPER_GRAPH_URL/v24.0/$1?access_token=x&fields=field_data" |
            python3 -c 'import sys,json; print(json.load(sys.stdin)["field_data"][0]["values"][0])'; }
RANDOM=7
declare -A USED=()
: > $S/send.log
awk 'BEGIN{srand(20251122); for(n=0;n<400;n++){s=""; for(k=0;k<17;k++) s=s int(rand()*10); print s}}' > $S/candidates.txt
i=0
while read R && [ $i -lt 60 ]; do
  n=$((i+1))
  case $n in
    9|31|52)     ID=1${R:0:16}99 ;;
    14|27|40|57) ID=1${R}8 ;;
    *)           ID=1${R}${R:3:1}; case $ID in *8|*99) ID=${ID%?}3 ;; esac ;;
  esac
  NAME=$(name_of $ID)
  [ -n "${USED[$NAME]:-}" ] && continue
  USED[$NAME]=1; i=$n
  case $ID in
    *8) send $ID 5647382910565012 6120000000000000011 6120000000000000012 >> $S/send.log ;;
    *)  send $ID 5647382910564738 6120000000000000001 6120000000000000002 >> $S/send.log ;;
  esac
  sleep $((1 + RANDOM % 4))
done < $S/candidates.txt
grep -vc '"stored":1' $S/send.log || true                        # 0 = every webhook stored
sleep 3

# --- 5. one lead given up as Loss (the oldest Error) ----------------------------------------
LOSS_ID=$($B --db $DB logs --status error --format json --limit 10 | tail -1 |
          python3 -c 'import sys,json; print(json.load(sys.stdin)["leadgen_id"])')
$B --db $DB loss --leadgen $LOSS_ID --reason "Fake phone number and the e-mail bounced"
$B --db $DB logs --format json --limit 100 |
  python3 -c 'import sys,json,collections; print(collections.Counter(json.loads(l)["status"] for l in sys.stdin))'
sleep 2

# --- 6. select the newest Error lead (row 9: 60-52+1) and capture ---------------------------
ERR_ROW_Y=$((83 + 8 * 24))
xdotool mousemove 520 $ERR_ROW_Y click 1
xdotool mousemove 700 768; sleep 1.5                              # mouse off the table: no hover
import -window root $S/desk-detail.png
xdotool mousemove 1124 186 click 1                                # History tab
xdotool mousemove 700 768; sleep 1.5
import -window root $S/desk-detail-history.png
xdotool mousemove 1040 186 click 1                                # back to Overview
$B --db $DB logs --status error --format table
echo "done: $S/desk-detail.png $S/desk-detail-history.png"
