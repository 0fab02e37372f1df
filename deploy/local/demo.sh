#!/usr/bin/env bash
# The closed loop, played out against the running stack through the gateway (./flywheel demo).
#
#   train v1 from a registered dataset -> staging -> production -> serve -> drift in the live data
#   -> the monitor says so -> retraining on fresh labelled data -> v2 beats v1 on the same holdout
#   -> staging -> canary in production -> v2 is the champion.
#
# FLYWHEEL_DEMO_TRAINER=python (./flywheel demo --trainer python): retraining runs the Python example
# trainer (retrain's `sklearn` trainer: trainers/python/train_sklearn.py, scikit-learn -> model.onnx),
# so version 2 is an ONNX model judged against the flywheel-linear version 1 on the same holdout. That
# trainer takes numeric features only, so the churn table has no `plan` column in this mode.
#
# Needs: curl, jq, awk; the services running with the demo profile (shorter soak and canary steps).
set -euo pipefail

GW=${FLYWHEEL_GATEWAY:-http://127.0.0.1:8080}
KEY=${FLYWHEEL_KEY:?the admin API key}
MODEL="churn-$(date +%m%d-%H%M%S)"
TRAINER=${FLYWHEEL_DEMO_TRAINER:-linear}
case $TRAINER in linear|python) ;; *) echo "FLYWHEEL_DEMO_TRAINER is linear or python" >&2; exit 2 ;; esac
PLAN=$([ "$TRAINER" = python ] && echo 0 || echo 1)
# the policy's trainer for retraining after version 1: the reference trainer, or the Python example
if [ "$TRAINER" = python ]; then
  RETRAINER='"name": "sklearn", "params": {"task": "binary-classification", "target": "churned", "seed": 42}'
else
  RETRAINER='"params": {"task": "binary-classification", "target": "churned", "seed": 42}'
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '    %s\n' "$*"; }
api() { curl -sS -H "X-API-Key: $KEY" "$@"; }
fail() { printf '\033[31mdemo failed:\033[0m %s\n' "$*" >&2; exit 1; }

# wait_until SECONDS DESCRIPTION COMMAND...: poll until the command succeeds
wait_until() {
  local timeout=$1 what=$2; shift 2
  local until=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < until )) || fail "$what did not happen within $timeout s"
    sleep 2
  done
}

# rows of a synthetic churn table (CSV or JSON Lines). shift moves support_calls up (data drift);
# flip turns how churn depends on them around (concept drift).
rows() { # n seed format shift flip
  awk -v n="$1" -v seed="$2" -v json=$([ "$3" = jsonl ] && echo 1 || echo 0) -v shift="$4" -v flip="$5" -v withplan="$PLAN" '
    BEGIN {
      srand(seed); split("basic plus pro", plans, " ");
      if (!json) print "tenure,monthly_charges,support_calls," (withplan ? "plan," : "") "churned";
      for (i = 0; i < n; i++) {
        tenure = int(rand() * 72); charges = 20 + rand() * 100; calls = int(rand() * 6) + shift;
        plan = plans[1 + int(rand() * 3)];
        z = -1.0 - 0.04 * tenure + 0.02 * (charges - 70) + (flip ? -0.5 : 0.6) * (calls - 2.5) + (plan == "basic" ? 0.5 : 0);
        label = rand() < 1 / (1 + exp(-z)) ? 1 : 0;
        if (json && withplan) printf "{\"tenure\":%d,\"monthly_charges\":%.2f,\"support_calls\":%d,\"plan\":\"%s\",\"churned\":%d}\n", tenure, charges, calls, plan, label;
        else if (json) printf "{\"tenure\":%d,\"monthly_charges\":%.2f,\"support_calls\":%d,\"churned\":%d}\n", tenure, charges, calls, label;
        else if (withplan) printf "%d,%.2f,%d,%s,%d\n", tenure, charges, calls, plan, label;
        else printf "%d,%.2f,%d,%d\n", tenure, charges, calls, label;
      }
    }'
}

# serve FILE PREFIX ENVIRONMENT [labels]: each row through the serving runtime (Open Inference
# Protocol v2); with "labels", the true outcomes follow through HTTP ingest, joined by request id.
serve() {
  local file=$1 prefix=$2 env=$3 labels=${4:-} i=0 id request
  : >"$WORK/labels.jsonl"
  while read -r row; do
    i=$((i + 1)); id="$prefix-$MODEL-$i"
    request=$(jq -c --arg id "$id" '{id: $id, inputs: ([
        {name: "tenure", shape: [1], datatype: "INT64", data: [.tenure]},
        {name: "monthly_charges", shape: [1], datatype: "FP64", data: [.monthly_charges]},
        {name: "support_calls", shape: [1], datatype: "INT64", data: [.support_calls]}]
        + (if has("plan") then [{name: "plan", shape: [1], datatype: "BYTES", data: [.plan]}] else [] end))}' <<<"$row")
    api -o /dev/null -X POST "$GW/v2/models/$MODEL/infer" -H "X-Flywheel-Environment: $env" \
      -H 'Content-Type: application/json' -d "$request"
    jq -c --arg id "$id" --arg m "$MODEL" '{request_id: $id, model: $m, label: .churned}' <<<"$row" >>"$WORK/labels.jsonl"
  done <"$file"
  if [ "$labels" = labels ]; then
    api -X POST "$GW/api/v1/feedback" -H 'Content-Type: application/x-ndjson' --data-binary @"$WORK/labels.jsonl" \
      | jq -r '"    labels: \(.accepted) accepted by Kafka"'
  fi
}

live() { api "$GW/api/v1/deployments/$MODEL/$1" | jq -r '[.live[] | "v\(.version) \(.traffic_percent)% \(.role)"] | join(", ") | if . == "" then "nothing" else . end'; }
job_state() { api "$GW/api/v1/retrain/jobs/$1" | jq -r .state; }
is_live() { [ "$(api "$GW/api/v1/deployments/$MODEL/$1" | jq -r "[.live[] | select(.version == $2 and .traffic_percent == 100)] | length")" = 1 ]; }

bold "1. A model and its training data in the registry"
api -X POST "$GW/api/v1/models" -H 'Content-Type: application/json' \
  -d "{\"name\": \"$MODEL\", \"description\": \"Which customers leave next month\", \"tags\": {\"team\": \"growth\"}}" \
  | jq -r '"    model \(.name) created"'
api -X POST "$GW/api/v1/datasets" -H 'Content-Type: application/json' -d "{\"name\": \"$MODEL-base\"}" >/dev/null
rows 2000 1 csv 0 0 >"$WORK/base.csv"
api -X PUT "$GW/api/v1/datasets/$MODEL-base/versions" -H 'Content-Type: text/csv' --data-binary @"$WORK/base.csv" \
  | jq -r '"    dataset \(.dataset) version \(.id[0:12])…: \(.rows) rows, columns \([.schema[] | "\(.name):\(.type)"] | join(" "))"'

bold "2. Retraining trains version 1 (the reference trainer, logistic regression) and asks for promotion"
api -X PUT "$GW/api/v1/retrain/policies/$MODEL" -H 'Content-Type: application/json' -d "{
    \"triggers\": [\"drift\", \"quality\", \"manual\"], \"cooldown\": \"PT10M\", \"min_new_rows\": 0,
    \"data\": {\"window\": \"PT1H\", \"base_dataset\": {\"name\": \"$MODEL-base\", \"id\": null}},
    \"trainer\": {\"params\": {\"task\": \"binary-classification\", \"target\": \"churned\", \"seed\": 42}},
    \"evaluation\": {\"metric\": \"roc_auc\", \"margin\": 0.0}, \"promotion\": {\"environment\": \"staging\"}}" >/dev/null
JOB=$(api -X POST "$GW/api/v1/retrain/jobs" -H 'Content-Type: application/json' \
  -d "{\"model\": \"$MODEL\", \"reason\": \"the first model\"}" | jq -r .id)
say "job $JOB started by hand"
wait_until 120 "the first retraining job" bash -c "[ \"\$(curl -s -H 'X-API-Key: $KEY' $GW/api/v1/retrain/jobs/$JOB | jq -r .state)\" = promotion-requested ]"
api "$GW/api/v1/retrain/jobs/$JOB" | jq -r '"    \(.reason)"'
wait_until 60 "version 1 in staging" is_live staging 1
say "deploy promoted it to staging: $(live staging)"

bold "3. Version 1 soaks in staging, then goes to production; the champion alias follows"
rows 30 2 jsonl 0 0 >"$WORK/staging.jsonl"
serve "$WORK/staging.jsonl" stg1 staging
say "30 predictions served in staging; waiting for the soak (15 s in the demo profile)"
sleep 16
api -X POST "$GW/api/v1/deployments/$MODEL/production/promotions" -H 'Content-Type: application/json' \
  -d '{"version": 1, "strategy": "replace", "reason": "soaked in staging"}' \
  | jq -r '"    promotion \(.status): gates \([.checks[] | "\(.gate) \(.status)"] | join(", "))"'
champion() { api "$GW/api/v1/models/$MODEL/aliases/champion" | jq -r '.version // empty'; }
wait_until 30 "the champion alias to follow production" bash -c "[ \"\$(curl -s -H 'X-API-Key: $KEY' $GW/api/v1/models/$MODEL/aliases/champion | jq -r .version)\" = 1 ]"
say "production: $(live production); champion alias: v$(champion)"

bold "4. The monitor watches production against version 1's training data (3-minute windows, judged from 600 predictions)"
api -X PUT "$GW/api/v1/monitoring/$MODEL/policy" -H 'Content-Type: application/json' \
  -d '{"pane_seconds": 10, "panes": 18, "min_samples": 600, "min_labelled": 50, "dataset_drift_share": 0.25}' >/dev/null
wait_until 60 "the monitor's reference for version 1" bash -c "curl -sf -H 'X-API-Key: $KEY' $GW/api/v1/monitoring/$MODEL/versions/1/reference"
api "$GW/api/v1/monitoring/$MODEL/versions/1/reference" | jq -r '"    reference fitted from \(.source | split("@")[0]): \([.features[].name] | join(", "))"'
# from now on retraining learns from fresh labelled production data only
api -X PUT "$GW/api/v1/retrain/policies/$MODEL" -H 'Content-Type: application/json' -d "{
    \"triggers\": [\"drift\", \"quality\", \"manual\"], \"cooldown\": \"PT30S\", \"min_new_rows\": 100, \"data\": {\"window\": \"PT1H\"},
    \"trainer\": {$RETRAINER},
    \"evaluation\": {\"metric\": \"roc_auc\", \"margin\": 0.0}, \"promotion\": {\"environment\": \"staging\"}}" >/dev/null
[ "$TRAINER" = python ] && say "retraining will run the Python trainer (scikit-learn, written as model.onnx)"
rows 150 3 jsonl 0 0 >"$WORK/normal.jsonl"
serve "$WORK/normal.jsonl" ok production
say "150 ordinary predictions served in production"

bold "5. The world changes: support calls go up, and what they mean for churn turns around"
rows 300 4 jsonl 3 1 >"$WORK/drifted.jsonl"
serve "$WORK/drifted.jsonl" drift production labels
say "300 predictions on drifted data, then their true outcomes (labels arrive after the predictions)"
sleep 12   # the monitor exports labelled predictions to S3 every 10 s: fresh data for retraining
rows 250 5 jsonl 3 1 >"$WORK/drifted2.jsonl"
serve "$WORK/drifted2.jsonl" drift2 production labels
say "250 more: the window now holds enough predictions to be judged"
drifted() { [ "$(api "$GW/api/v1/retrain/triggers?model=$MODEL" | jq -r '[.items[] | select(.kind == "drift" and .decision == "accepted")] | length')" -ge 1 ]; }
wait_until 120 "drift to be detected and retraining to start" drifted
api "$GW/api/v1/monitoring/$MODEL/versions/1/drift" | jq -r '[.windows[] | select(.dataset_drift == true)] | first |
  "    monitor: window \(.window_start[11:19])-\(.window_end[11:19]) UTC, \(.samples) predictions against \(.prediction.reference_samples) training rows",
  (.features | to_entries[] | select(.value.drift) | "    drifted: \(.key)" + (.value.tests.ks // null | if . then " (KS D=\(.statistic * 1000 | round / 1000), p=\(.pvalue))" else "" end)),
  "    share of drifted features \(.share_drifted) >= 0.25: drift.detected on flywheel.monitor"'
api "$GW/api/v1/retrain/triggers?model=$MODEL" | jq -r '.items[] | "    trigger \(.kind): \(.reason)"' | head -4

bold "6. Retraining on the fresh labelled data: version 2 against the champion, on the same holdout$([ "$TRAINER" = python ] && echo " (version 2: scikit-learn, as ONNX)")"
JOB=$(api "$GW/api/v1/retrain/jobs?model=$MODEL&limit=1" | jq -r '.items[0].id')
# one retraining is the story: a long cooldown keeps further verdicts from starting more jobs meanwhile
api -X PUT "$GW/api/v1/retrain/policies/$MODEL" -H 'Content-Type: application/json' -d "{
    \"triggers\": [\"drift\", \"quality\", \"manual\"], \"cooldown\": \"PT1H\", \"min_new_rows\": 100, \"data\": {\"window\": \"PT1H\"},
    \"trainer\": {$RETRAINER},
    \"evaluation\": {\"metric\": \"roc_auc\", \"margin\": 0.0}, \"promotion\": {\"environment\": \"staging\"}}" >/dev/null
finished() { case $(job_state "$JOB") in promotion-requested|rejected|failed|cancelled) true ;; *) false ;; esac; }
wait_until 180 "the retraining job" finished
api "$GW/api/v1/retrain/jobs/$JOB" | jq -r '"    job \(.state): \(.reason)", "    \(.evaluation.reason)",
  "    candidate \(.evaluation.candidate_format // "flywheel-linear") vs champion \(.evaluation.champion_format // "-"), same \(.evaluation.holdout_rows) holdout rows"'
[ "$(job_state "$JOB")" = promotion-requested ] || fail "the candidate did not beat the champion"
CANDIDATE=$(api "$GW/api/v1/retrain/jobs/$JOB" | jq -r .candidate_version)
wait_until 60 "version $CANDIDATE in staging" is_live staging "$CANDIDATE"
say "staging: $(live staging)"

bold "7. Version $CANDIDATE soaks in staging, then a canary in production: 50%, then 100%"
rows 30 6 jsonl 3 1 >"$WORK/staging2.jsonl"
serve "$WORK/staging2.jsonl" stg2 staging
sleep 16
api -X POST "$GW/api/v1/deployments/$MODEL/production/promotions" -H 'Content-Type: application/json' \
  -d "{\"version\": $CANDIDATE, \"strategy\": \"canary\", \"reason\": \"retrained on fresh data\",
       \"canary\": {\"steps\": [50, 100], \"min_hold_seconds\": 10, \"min_samples\": 20}}" \
  | jq -r '"    promotion \(.status): gates \([.checks[] | "\(.gate) \(.status)"] | join(", "))"'
for round in 1 2 3 4 5 6; do
  rows 40 $((10 + round)) jsonl 3 1 >"$WORK/canary.jsonl"
  serve "$WORK/canary.jsonl" canary$round production
  say "production: $(live production)"
  is_live production "$CANDIDATE" && break
  sleep 4
done
is_live production "$CANDIDATE" || fail "the canary did not complete"

bold "8. The loop has closed"
wait_until 30 "the champion alias to follow production" bash -c "[ \"\$(curl -s -H 'X-API-Key: $KEY' $GW/api/v1/models/$MODEL/aliases/champion | jq -r .version)\" = $CANDIDATE ]"
say "champion alias: v$(champion)"
api "$GW/api/v1/deployments/$MODEL/production/history" | jq -r '.items | reverse | .[] | "    \(.at[0:19])  \(.action) v\(.version) by \(.actor): \(.reason)"'
say ""
say "See it in the dashboard: $GW/dashboard (sign in with the admin key in .flywheel/admin-key), model $MODEL"
