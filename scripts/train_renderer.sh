#!/usr/bin/env bash
# Background training of the v3 renderer across sessions.
#   bash scripts/train_renderer.sh start [MINUTES]   # nohup; resumes var/runs/v3, else the committed compact checkpoint, else v2's
#   bash scripts/train_renderer.sh stop              # SIGTERM: finishes the step, checkpoints, then packs the compact checkpoint
#   bash scripts/train_renderer.sh status
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=var/runs/v3
PID=$RUN/train.pid
mkdir -p "$RUN"
running() { [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; }
case "${1:-status}" in
  start)
    bash scripts/setup.sh >/dev/null
    if running; then echo "already running (pid $(cat "$PID"))"; exit 0; fi
    OMP_WAIT_POLICY=PASSIVE nohup .venv/bin/python -m renderer train-v3 --run-dir "$RUN" \
      --minutes "${2:-150}" --no-progress >> "$RUN/train.out" 2>&1 &
    echo $! > "$PID"
    echo "training in the background (pid $!), log: $RUN/train.out, $RUN/log.jsonl"
    ;;
  stop)
    if running; then
      kill -TERM "$(cat "$PID")"
      while running; do sleep 2; done
    fi
    rm -f "$PID"
    [ -f "$RUN/ckpt.pt" ] && .venv/bin/python -m renderer pack-v3 --ckpt "$RUN/ckpt.pt"
    ;;
  status)
    if running; then echo "running (pid $(cat "$PID"))"; else echo "not running"; fi
    tail -n 1 "$RUN/log.jsonl" 2>/dev/null || true
    ;;
  *) echo "usage: $0 start [MINUTES] | stop | status" >&2; exit 2 ;;
esac
