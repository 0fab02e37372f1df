#!/usr/bin/env bash
# The closed loop, played out against the running stack through the gateway (./flywheel demo).
#
#   the team's policies -> the first training (the one request a person sends) -> v1 to staging
#   -> soaked -> production by the promotion policy -> serve -> drift in the live data -> the monitor
#   says so -> retraining on fresh labelled data -> v2 beats v1 on the same holdout -> staging ->
#   canary judged against v1 -> v2 is the champion -> a teammate's trainer change makes v3, better
#   offline, worse on live traffic -> its canary is rolled back by the judge; v2 stays champion.
#
# After the first training the demo sends traffic and labels (the world) and two configuration
# changes (retraining switched to fresh data once v1 exists; the teammate's trainer change); every
# promotion, canary step and rollback is decided by the services.
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
MODEL=${FLYWHEEL_DEMO_MODEL:-"churn-$(date +%m%d-%H%M%S)"}
TRAINER=${FLYWHEEL_DEMO_TRAINER:-linear}
case $TRAINER in linear|python) ;; *) echo "FLYWHEEL_DEMO_TRAINER is linear or python" >&2; exit 2 ;; esac
PLAN=$([ "$TRAINER" = python ] && echo 0 || echo 1)
# the policy's trainer for retraining after version 1: the reference trainer, or the Python example
if [ "$TRAINER" = python ]; then
  RETRAINER='"name": "sklearn", "params": {"task": "binary-classification", "target": "churned", "seed": 42}'
else
  RETRAINER='"params": {"task": "binary-classification", "target": "churned", "seed": 42}'
fi
# the model tests every retrained candidate must pass before staging (retrain-service/README.md, "Model tests")
MODEL_TESTS='"directional": [{"feature": "tenure", "delta": 12, "direction": "decrease", "min_fraction": 0.6}],
  "latency": {"p99_ms": 50}'
[ "$PLAN" = 1 ] && MODEL_TESTS+=', "slices": [{"feature": "plan", "metric": "roc_auc", "min": 0.5, "min_rows": 20}]'
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '    %s\n' "$*"; }
api() { curl -sS -H "X-API-Key: $KEY" "$@"; }
fail() { printf '\033[31mdemo failed:\033[0m %s\n' "$*" >&2; exit 1; }

# within SECONDS COMMAND...: poll until the command succeeds; false when it has not by then
within() {
  local until=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < until )) || return 1
    sleep 2
  done
}

# wait_until SECONDS DESCRIPTION COMMAND...: poll until the command succeeds
wait_until() {
  local timeout=$1 what=$2; shift 2
  within "$timeout" "$@" || fail "$what did not happen within $timeout s"
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
now() { date +%s.%N; }
epoch() { date -d "$1" +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f s", b - a }'; }
is_live() { [ "$(api "$GW/api/v1/deployments/$MODEL/$1" | jq -r "[.live[] | select(.version == $2 and .traffic_percent == 100)] | length")" = 1 ]; }

bold "1. A model and its training data in the registry"
api -X POST "$GW/api/v1/models" -H 'Content-Type: application/json' \
  -d "{\"name\": \"$MODEL\", \"description\": \"Which customers leave next month\", \"tags\": {\"team\": \"growth\"}}" \
  | jq -r '"    model \(.name) created"'
api -X POST "$GW/api/v1/datasets" -H 'Content-Type: application/json' -d "{\"name\": \"$MODEL-base\"}" >/dev/null
rows 2000 1 csv 0 0 >"$WORK/base.csv"
api -X PUT "$GW/api/v1/datasets/$MODEL-base/versions" -H 'Content-Type: text/csv' --data-binary @"$WORK/base.csv" \
  | jq -r '"    dataset \(.dataset) version \(.id[0:12])…: \(.rows) rows, columns \([.schema[] | "\(.name):\(.type)"] | join(" "))"'


bold "2. The team's policies, set once"
api -X PUT "$GW/api/v1/retrain/policies/$MODEL" -H 'Content-Type: application/json' -d "{
    \"triggers\": [\"drift\", \"quality\", \"manual\"], \"cooldown\": \"PT10M\", \"min_new_rows\": 0,
    \"data\": {\"window\": \"PT1H\", \"base_dataset\": {\"name\": \"$MODEL-base\", \"id\": null}},
    \"trainer\": {\"params\": {\"task\": \"binary-classification\", \"target\": \"churned\", \"seed\": 42}},
    \"evaluation\": {\"metric\": \"roc_auc\", \"margin\": 0.0}, \"promotion\": {\"environment\": \"staging\"}}" >/dev/null
say "retraining: the reference trainer on the curated dataset; winners go to staging"
api -X PUT "$GW/api/v1/deployments/$MODEL/policy" -H 'Content-Type: application/json' -d '{
    "auto_promote": true, "soak": {"min_time": "PT15S", "min_samples": 20},
    "strategy": "canary", "canary": {"steps": [50, 100], "min_hold_seconds": 10, "min_samples": 20},
    "judge": {"quality": {"metric": "accuracy", "max_drop": 0.05, "min_labelled": 30},
              "error_rate": {"max_increase": 0.02, "min_requests": 20},
              "latency_p99": {"budget_ms": 200, "min_requests": 20}},
    "rollback_on": ["quality", "error_rate", "latency_p99"]}' \
  | jq -r '"    promotion: staging -> production by itself after \(.policy.soak.min_time) and \(.policy.soak.min_samples) predictions; canary \(.policy.canary.steps), each step judged against the champion (\(.policy.judge | keys | join(", "))), rolled back on \(.policy.rollback_on | join(", "))"'
api -X PUT "$GW/api/v1/monitoring/$MODEL/policy" -H 'Content-Type: application/json' \
  -d '{"pane_seconds": 10, "panes": 18, "min_samples": 600, "min_labelled": 50, "dataset_drift_share": 0.25, "concept_drift": false}' >/dev/null
say "monitoring: 3-minute windows, drift judged from 600 predictions, quality from 50 labels (the error-rate detectors, DDM and kin, are off: on a canary's first hundred labels they raise false alarms)"

bold "3. The first training, started by hand: the last request a person sends"
JOB=$(api -X POST "$GW/api/v1/retrain/jobs" -H 'Content-Type: application/json' \
  -d "{\"model\": \"$MODEL\", \"reason\": \"the first model\"}" | jq -r .id)
say "job $JOB started"
wait_until 120 "the first retraining job" bash -c "[ \"\$(curl -s -H 'X-API-Key: $KEY' $GW/api/v1/retrain/jobs/$JOB | jq -r .state)\" = promotion-requested ]"
api "$GW/api/v1/retrain/jobs/$JOB" | jq -r '"    \(.reason)"'
wait_until 60 "version 1 in staging" is_live staging 1
say "deploy promoted it to staging: $(live staging)"
# from now on retraining learns from fresh labelled production data only, at most twice today
api -X PUT "$GW/api/v1/retrain/policies/$MODEL" -H 'Content-Type: application/json' -d "{
    \"triggers\": [\"drift\", \"quality\", \"manual\"], \"cooldown\": \"PT1M\", \"min_new_rows\": 100, \"daily_budget\": 2,
    \"data\": {\"window\": \"PT1H\"}, \"trainer\": {$RETRAINER}, \"model_tests\": {$MODEL_TESTS},
    \"evaluation\": {\"metric\": \"roc_auc\", \"margin\": 0.0}, \"promotion\": {\"environment\": \"staging\"}}" >/dev/null
say "configuration: retraining now learns from fresh labelled data only, and each candidate must pass its model tests$([ "$TRAINER" = python ] && echo ", with the Python trainer (scikit-learn, written as model.onnx)")"

bold "4. Version 1 soaks in staging; the promotion policy takes it to production"
rows 30 2 jsonl 0 0 >"$WORK/staging.jsonl"
serve "$WORK/staging.jsonl" stg1 staging
say "30 predictions served in staging"
wait_until 90 "the promotion policy to take version 1 to production" is_live production 1
last_change() { api "$GW/api/v1/deployments/$MODEL/$1/history?limit=1" | jq -r '.items[0] | "    \(.at[11:19]) \(.action) v\(.version) by \(.actor): \(.reason)"'; }
last_change production
champion() { api "$GW/api/v1/models/$MODEL/aliases/champion" | jq -r '.version // empty'; }
wait_until 30 "the champion alias to follow production" bash -c "[ \"\$(curl -s -H 'X-API-Key: $KEY' $GW/api/v1/models/$MODEL/aliases/champion | jq -r .version)\" = 1 ]"
say "production: $(live production); champion alias: v$(champion)"
wait_until 60 "the monitor's reference for version 1" bash -c "curl -sf -H 'X-API-Key: $KEY' $GW/api/v1/monitoring/$MODEL/versions/1/reference"
api "$GW/api/v1/monitoring/$MODEL/versions/1/reference" | jq -r '"    the monitor watches production against version 1'"'"'s training data (\(.source | split("@")[0]): \([.features[].name] | join(", ")))"'
rows 150 3 jsonl 0 0 >"$WORK/normal.jsonl"
serve "$WORK/normal.jsonl" ok production
say "150 ordinary predictions served in production"

bold "5. The world changes: support calls go up, and what they mean for churn turns around"
DRIFT_ONSET=$(now)
rows 300 4 jsonl 3 1 >"$WORK/drifted.jsonl"
serve "$WORK/drifted.jsonl" drift production labels
say "300 predictions on drifted data, then their true outcomes (labels arrive after the predictions)"
sleep 12   # the monitor exports labelled predictions to S3 every 10 s: fresh data for retraining
rows 250 5 jsonl 3 1 >"$WORK/drifted2.jsonl"
serve "$WORK/drifted2.jsonl" drift2 production labels
say "250 more: the window now holds enough predictions to be judged"
drifted() { [ "$(api "$GW/api/v1/retrain/triggers?model=$MODEL" | jq -r '[.items[] | select(.kind == "drift" and .decision == "accepted")] | length')" -ge 1 ]; }
# The drift test wants 600 predictions in one 3-minute window; a slow machine may have spread the
# traffic above over more than that, so more of the same goes out until the monitor has judged it.
for round in 1 2 3; do
  within 60 drifted && break
  rows 150 $((5 + round)) jsonl 3 1 >"$WORK/drifted-more.jsonl"
  serve "$WORK/drifted-more.jsonl" "drift-more$round" production labels
  say "150 more: the last 3 minutes did not hold the 600 predictions the drift test needs yet"
done
wait_until 120 "drift to be detected and retraining to start" drifted
api "$GW/api/v1/monitoring/$MODEL/versions/1/drift" | jq -r '[.windows[] | select(.dataset_drift == true)] | first |
  "    monitor: window \(.window_start[11:19])-\(.window_end[11:19]) UTC, \(.samples) predictions against \(.prediction.reference_samples) training rows",
  (.features | to_entries[] | select(.value.drift) | "    drifted: \(.key)" + (.value.tests.ks // null | if . then " (KS D=\(.statistic * 1000 | round / 1000), p=\(.pvalue))" else "" end)),
  "    share of drifted features \(.share_drifted) >= 0.25: drift.detected on flywheel.monitor"'
TRIGGER=$(api "$GW/api/v1/retrain/triggers?model=$MODEL" | jq -c '[.items[] | select(.kind == "drift" and .decision == "accepted")] | last')
jq -r '"    trigger \(.kind): \(.reason)"' <<<"$TRIGGER"
DRIFT_DETECTED=$(epoch "$(jq -r .received_at <<<"$TRIGGER")")

bold "6. Retraining on the fresh labelled data: version 2 against the champion, on the same holdout$([ "$TRAINER" = python ] && echo " (version 2: scikit-learn, as ONNX)")"
JOB=$(jq -r .job_id <<<"$TRIGGER")
finished() { case $(job_state "$1") in promotion-requested|rejected|failed|cancelled) true ;; *) false ;; esac; }
wait_until 180 "the retraining job" finished "$JOB"
api "$GW/api/v1/retrain/jobs/$JOB" | jq -r '"    job \(.state): \(.reason)", "    \(.evaluation.reason)",
  "    model tests: \(.model_tests.summary // "none")",
  "    candidate \(.evaluation.candidate_format // "flywheel-linear") vs champion \(.evaluation.champion_format // "-"), same \(.evaluation.holdout_rows) holdout rows"'
[ "$(job_state "$JOB")" = promotion-requested ] || fail "the candidate did not beat the champion"
CANDIDATE=$(api "$GW/api/v1/retrain/jobs/$JOB" | jq -r .candidate_version)
REGISTERED=$(epoch "$(api "$GW/api/v1/retrain/jobs/$JOB" | jq -r .finished_at)")
wait_until 60 "version $CANDIDATE in staging" is_live staging "$CANDIDATE"
say "staging: $(live staging)"

# canary VERSION SEED: production traffic with labels, round after round, until the canary of the
# version is over (completed or rolled back); prints each decision the policy made meanwhile
canary() {
  local version=$1 seed=$2 round seen=0 n
  wait_until 90 "the promotion policy to start the canary of version $version" bash -c \
    "curl -s -H 'X-API-Key: $KEY' $GW/api/v1/deployments/$MODEL/production | jq -e '.candidate.version == $version' >/dev/null"
  last_change production
  for round in $(seq 1 15); do
    rows 40 $((seed + round)) jsonl 3 1 >"$WORK/canary.jsonl"
    serve "$WORK/canary.jsonl" "canary$version-$round" production labels >/dev/null
    [ -n "${CANARY_LABELLED:-}" ] || CANARY_LABELLED=$(now)
    api "$GW/api/v1/deployments/$MODEL/production/history?limit=5" | jq -r --argjson v "$version" --arg since "$seen" '
      [.items[] | select(.version == $v and (.action == "canary-advanced" or .action == "canary-completed" or .action == "rolled-back"))]
      | reverse | .[($since | tonumber):][] |
      "    \(.at[11:19]) \(.action) by \(.actor)",
      (.evidence.judge // {} | to_entries[] | "        \(.key): \(.value.status), \(.value.detail)")'
    n=$(api "$GW/api/v1/deployments/$MODEL/production/history?limit=5" | jq --argjson v "$version" \
      '[.items[] | select(.version == $v and (.action == "canary-advanced" or .action == "canary-completed" or .action == "rolled-back"))] | length')
    seen=$n
    [ "$(api "$GW/api/v1/deployments/$MODEL/production" | jq -r '.candidate.version // empty')" = "$version" ] || return 0
    sleep 3
  done
  fail "the canary of version $version was neither completed nor rolled back"
}

bold "7. Version $CANDIDATE soaks in staging, then the policy canaries it in production, judged against version 1"
rows 30 6 jsonl 3 1 >"$WORK/staging2.jsonl"
serve "$WORK/staging2.jsonl" stg2 staging
say "30 predictions served in staging"
CANARY_LABELLED=""
canary "$CANDIDATE" 10
LAST_LABELS=$(date +%s)
is_live production "$CANDIDATE" || fail "the canary of version $CANDIDATE did not complete"
PROMOTED=$(epoch "$(api "$GW/api/v1/deployments/$MODEL/production/history?limit=1" | jq -r '.items[0].at')")
wait_until 30 "the champion alias to follow production" bash -c "[ \"\$(curl -s -H 'X-API-Key: $KEY' $GW/api/v1/models/$MODEL/aliases/champion | jq -r .version)\" = $CANDIDATE ]"
say "production: $(live production); champion alias: v$(champion)"
say "loop: drift onset -> drift.detected $(seconds "$DRIFT_ONSET" "$DRIFT_DETECTED") -> candidate registered $(seconds "$DRIFT_DETECTED" "$REGISTERED") -> promoted $(seconds "$REGISTERED" "$PROMOTED"); $(seconds "$DRIFT_ONSET" "$PROMOTED") in all"

# The nightly job reads the curated dataset plus the labels of its data window (PT1M at the least);
# it fires once that window has none of the canary's fresh labels left, or it would learn from them.
FIRE_AT=$(( $(date +%s) + 20 )); (( FIRE_AT >= LAST_LABELS + 65 )) || FIRE_AT=$((LAST_LABELS + 65))
bold "8. A teammate changes the trainer: it now retrains nightly on the curated dataset (here once, in $((FIRE_AT - $(date +%s))) s)"
# a Quartz cron with its year: it fires once, so the stack falls quiet after the demo
ONCE=$(date -u -d "@$FIRE_AT" '+%S %M %H %d %m ? %Y')
api -X PUT "$GW/api/v1/retrain/policies/$MODEL" -H 'Content-Type: application/json' -d "{
    \"triggers\": [\"schedule\"], \"schedule\": \"$ONCE\", \"cooldown\": \"PT30S\", \"min_new_rows\": 0, \"daily_budget\": 3,
    \"data\": {\"window\": \"PT1M\", \"base_dataset\": {\"name\": \"$MODEL-base\", \"id\": null}}, \"trainer\": {$RETRAINER},
    \"model_tests\": {$MODEL_TESTS},
    \"evaluation\": {\"metric\": \"roc_auc\", \"margin\": 0.0}, \"promotion\": {\"environment\": \"staging\"}}" >/dev/null
scheduled() { [ "$(api "$GW/api/v1/retrain/triggers?model=$MODEL" | jq -r '[.items[] | select(.kind == "schedule" and .decision == "accepted")] | length')" -ge 1 ]; }
wait_until $((FIRE_AT - $(date +%s) + 60)) "the schedule to start a retraining" scheduled
JOB=$(api "$GW/api/v1/retrain/triggers?model=$MODEL" | jq -r '[.items[] | select(.kind == "schedule" and .decision == "accepted")] | last | .job_id')
wait_until 180 "the scheduled retraining job" finished "$JOB"
api "$GW/api/v1/retrain/jobs/$JOB" | jq -r '"    job \(.state): \(.reason)", "    trained on \(.data.rows) rows: \(.data.base_dataset)",
  "    \(.evaluation.reason)", "    model tests: \(.model_tests.summary // "none")"'
[ "$(job_state "$JOB")" = promotion-requested ] || fail "the stale candidate was stopped before staging: $(api "$GW/api/v1/retrain/jobs/$JOB" | jq -r .reason)"
BAD=$(api "$GW/api/v1/retrain/jobs/$JOB" | jq -r .candidate_version)
say "offline, version $BAD looks better: it was judged on a holdout of the same curated data it learned from"
wait_until 60 "version $BAD in staging" is_live staging "$BAD"
rows 30 20 jsonl 3 1 >"$WORK/staging3.jsonl"
serve "$WORK/staging3.jsonl" stg3 staging
say "30 predictions served in staging; nothing there has labels, so the soak passes"

bold "9. Version $BAD's canary meets live traffic: the judge compares it with version $CANDIDATE and rolls it back"
CANARY_LABELLED=""
canary "$BAD" 30
ROLLED_BACK=$(epoch "$(api "$GW/api/v1/deployments/$MODEL/production/history?limit=1" | jq -r '.items[0].at')")
[ "$(api "$GW/api/v1/deployments/$MODEL/production/history?limit=1" | jq -r '.items[0].action')" = rolled-back ] \
  || fail "version $BAD was not rolled back"
last_change production
wait_until 30 "the champion to stay version $CANDIDATE" bash -c "[ \"\$(curl -s -H 'X-API-Key: $KEY' $GW/api/v1/models/$MODEL/aliases/champion | jq -r .version)\" = $CANDIDATE ]"
say "production: $(live production); champion alias: v$(champion)"
say "from the first labelled traffic on version $BAD's canary to its rollback: $(seconds "$CANARY_LABELLED" "$ROLLED_BACK")"

bold "10. What happened in production, as deploy recorded it"
api "$GW/api/v1/deployments/$MODEL/production/history" | jq -r '.items | reverse | .[] | "    \(.at[0:19])  \(.action) v\(.version) by \(.actor): \(.reason)"'
say ""
say "See it in the dashboard: $GW/dashboard (sign in with the admin key in .flywheel/admin-key), model $MODEL"
