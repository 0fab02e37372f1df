#!/usr/bin/env bash
# The LLM act of ./flywheel demo: a prompt on the same closed loop as the models, against the running
# stack through the gateway.
#
#   an LLM project and its key pair -> a support bot's prompt in the registry (production: v1) -> the
#   bot, instrumented with Langfuse's own JS SDK, answers questions -> the monitor's online evaluator
#   scores a share of its answers, a score monitor watches them per prompt version -> a teammate's
#   "simpler" v2 goes to production -> its scores drop -> the monitor says so (quality.degraded) ->
#   retrain's prompt optimisation, by policy: candidates written by the model from the failing items,
#   judged on a dataset against v2 -> the best registered as v3 and deploy asked to roll it out ->
#   a canary of the bot's sessions between v2 and v3, judged on the online scores -> v3 in production
#
# After the first version and the policies, the demo's only writes are the bot's traffic and the
# teammate's prompt change: the optimisation, the canary and the promotion are the services' own.
#
# The bot (deploy/local/llm-app/app.mjs) fetches, caches and compiles the prompt and sends its traces
# with the `langfuse` npm package, unchanged; its answers come from the stack's LLM stub, whose
# answers follow the prompt's instructions (llm-stub/README.md), since no real model can be reached here.
#
# Needs: curl, jq, Node.js 20 or later with npm (to install the SDK from the npm registry once, into
# FLYWHEEL_DEMO_STATE); the services running with the demo profile.
set -euo pipefail

GW=${FLYWHEEL_GATEWAY:-http://127.0.0.1:8080}
KEY=${FLYWHEEL_KEY:?the admin API key}
LLM=${FLYWHEEL_LLM_BASE_URL:?the base URL of the LLM endpoint, e.g. http://127.0.0.1:8090/v1}
STATE_DIR=${FLYWHEEL_DEMO_STATE:?where the demo app is installed}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROMPT=support/answer
RUN=$(date +%m%d-%H%M%S)

bold() { printf '\n\033[1m%s\033[0m\n' "$*"; }
say() { printf '    %s\n' "$*"; }
api() { curl -sS -H "X-API-Key: $KEY" "$@"; }
fail() { printf '\033[31mdemo failed:\033[0m %s\n' "$*" >&2; exit 1; }
json() { curl -sS -H "X-API-Key: $KEY" -H 'Content-Type: application/json' "$@"; }

wait_until() { # seconds description command...
  local timeout=$1 what=$2; shift 2
  local until=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < until )) || fail "$what did not happen within $timeout s"
    sleep 2
  done
}

# The bot, installed once from its lock file (npm's cache in the state directory too).
app_install() {
  local app=$STATE_DIR/llm-app
  if ! cmp -s "$HERE/llm-app/package-lock.json" "$app/package-lock.json" 2>/dev/null || [ ! -d "$app/node_modules" ]; then
    mkdir -p "$app"
    cp "$HERE/llm-app/package.json" "$HERE/llm-app/package-lock.json" "$app/"
    (cd "$app" && npm ci --no-audit --no-fund --cache "$STATE_DIR/npm-cache" >/dev/null) || fail "npm ci of the demo's LLM app failed"
  fi
  cp "$HERE/llm-app/app.mjs" "$app/"
}

bot() { # sessions route(0|1) -> one JSON line per version: answers and bare answers
  FLYWHEEL_GATEWAY=$GW FLYWHEEL_KEY=$KEY LANGFUSE_PUBLIC_KEY=$PUBLIC LANGFUSE_SECRET_KEY=$SECRET PROJECT=$PROJECT LLM_BASE_URL=$LLM \
    PROMPT=$PROMPT SESSIONS=$1 ROUTE=$2 SESSION_PREFIX="s-$RUN-$SECONDS" node "$STATE_DIR/llm-app/app.mjs"
}

describe() { # the bot's JSON line -> "v1: 40 of 40 bare answers"
  jq -r 'to_entries | map("v\(.key) (\(.value.label)): \(.value.bare) of \(.value.answers) answers bare") | join(", ")' <<<"$1"
}

production() { api "$GW/api/v1/prompts/$PROMPT?project=$PROJECT&label=production" | jq -r .version; }
degraded() { # a quality.degraded for the prompt's version $1, from the monitor's record of degradations
  api "$GW/api/v1/llm/score-monitors/degradations?project=$PROJECT" | jq -e --arg p "$PROMPT" --argjson v "$1" \
    '[.[] | select(.event.llm.prompt_name == $p and .event.llm.prompt_version == $v)] | length > 0'
}

bold "LLM act: a prompt on the same loop"
app_install
NAME=${FLYWHEEL_DEMO_LLM_PROJECT:-support-bot-$RUN}
P=$(json -d "{\"name\": \"$NAME\"}" "$GW/api/v1/llm/projects")
PROJECT=$(jq -r .id <<<"$P") PUBLIC=$(jq -r .public_key <<<"$P") SECRET=$(jq -r .secret_key <<<"$P")
[ -n "$PROJECT" ] && [ "$PROJECT" != null ] || fail "no LLM project: $P"
say "LLM project $NAME ($PROJECT), its key pair handed to the bot's Langfuse SDK"

json -d "{\"name\": \"$PROMPT\", \"prompt\": \"Answer the question with only the answer itself, no explanation.\\n\\n{{question}}\",
  \"config\": {\"model\": \"stub-1\"}, \"labels\": [\"production\"], \"commit_message\": \"first version\"}" \
  "$GW/api/v1/prompts?project=$PROJECT" >/dev/null
say "prompt $PROMPT v$(production) in production: \"Answer the question with only the answer itself, no explanation.\""
json -X PUT -d '{"evaluator": {"type": "regex", "name": "bare_answer", "params": {"pattern": "^\\s*[A-Za-z0-9.]+\\s*$"}},
  "sample_rate": 1}' "$GW/api/v1/llm/online-evaluators/bare-answer?project=$PROJECT" >/dev/null
json -X PUT -d '{"score_name": "bare_answer", "group_by": "prompt", "window": "PT1M", "min_count": 10, "min_mean": 0.8}' \
  "$GW/api/v1/llm/score-monitors?project=$PROJECT" >/dev/null
say "online evaluation: every answer scored bare_answer (a bare word or number, as the support desk's widget needs);"
say "a score monitor judges it per prompt version in 1-minute windows: a mean below 0.8 is a degradation"

say "the bot answers 30 questions: $(describe "$(bot 30 0)")"

# the dataset the optimiser judges candidates on: questions the bot gets, with the answers the desk wants
DATASET=support-questions
json -d "{\"project\": \"$PROJECT\", \"name\": \"$DATASET\"}" "$GW/api/v1/evaluation/datasets" >/dev/null
i=0
while IFS='|' read -r question answer; do
  i=$((i + 1))
  json -d "$(jq -nc --arg q "$question" --arg a "$answer" --arg id "q$i" '{id: $id, input: {question: $q}, expected_output: $a}')" \
    "$GW/api/v1/evaluation/datasets/$DATASET/items?project=$PROJECT" >/dev/null
done <<'ITEMS'
What is the capital of Italy?|Rome
What is the capital of Spain?|Madrid
Which planet is the red planet?|Mars
What is the boiling point of water in Celsius?|100
How many days are in a year?|365
What is 9 * 8?|72
ITEMS
json -X PUT -d "{\"enabled\": true, \"cooldown\": \"PT5M\", \"optimisation\": {\"dataset\": \"$DATASET\",
  \"evaluator\": {\"type\": \"regex\", \"name\": \"bare_answer\", \"params\": {\"pattern\": \"^\\\\s*[A-Za-z0-9.]+\\\\s*$\"}},
  \"evaluators\": [{\"type\": \"exact_match\"}], \"generate\": {\"count\": 3}, \"margin\": 0.2}}" \
  "$GW/api/v1/evaluation/optimisation-policies/$PROMPT?project=$PROJECT" >/dev/null
json -X PUT -d '{"share_percent": 50, "min_duration": "PT20S", "max_duration": "PT10M", "min_count": 10, "max_drop": 0.2, "margin": 0.05}' \
  "$GW/api/v1/deployments/prompts/$PROMPT/policy?project=$PROJECT" >/dev/null
say "policies: when the prompt degrades, retrain writes 3 candidates and keeps the best if it beats production by 0.2 on"
say "the $DATASET dataset (6 items); deploy canaries it on half the sessions and promotes it after 20 s if not worse"

json -d "{\"name\": \"$PROMPT\", \"prompt\": \"Answer the question: {{question}}\", \"config\": {\"model\": \"stub-1\"}, \"labels\": [\"production\"],
  \"commit_message\": \"simpler wording\"}" "$GW/api/v1/prompts?project=$PROJECT" >/dev/null
say "a teammate puts a simpler v$(production) in production: \"Answer the question: {{question}}\""
CHANGED=$SECONDS
say "the bot answers 30 more: $(describe "$(bot 30 0)")"
wait_until 200 "the monitor's report of v2's drop" degraded 2
DETECTED=$SECONDS
say "the monitor reported v2's drop (quality.degraded, kind llm_score) $((DETECTED - CHANGED)) s after the change"

refused_trigger() { # a trigger retrain refused for a reason other than a repeat: the act cannot go on
  api "$GW/api/v1/evaluation/optimisation-triggers?project=$PROJECT&prompt=$PROMPT" \
    | jq -e '[.items[] | select(.decision == "refused" and .rule != "duplicate" and .rule != "cooldown" and .rule != "max-concurrent")] | first'
}
optimisation() { # the prompt's latest optimisation whose state is $1
  api "$GW/api/v1/evaluation/optimisations?project=$PROJECT&prompt=$PROMPT" | jq -e --arg s "$1" '.items[0] | select(.state == $s)'
}
until OPT=$(optimisation promotion_requested 2>/dev/null); do
  if REFUSED=$(refused_trigger 2>/dev/null); then fail "retrain refused the trigger: $(jq -r .reason <<<"$REFUSED")"; fi
  (( SECONDS - DETECTED < 200 )) || fail "retrain's optimisation of the prompt did not happen within 200 s"
  sleep 2
done
CANDIDATE=$(jq -r .candidate_version <<<"$OPT")
say "retrain optimised it (trigger: the monitor's report): $(jq -r '.reason // empty' <<<"$OPT")"
say "v$CANDIDATE registered, \"$(api "$GW/api/v1/prompts/$PROMPT?project=$PROJECT&version=$CANDIDATE" | jq -r .prompt | head -1)\", and deploy asked to roll it out"
OPTIMISED=$SECONDS

rollout() { # the prompt's latest rollout whose status is $1
  api "$GW/api/v1/deployments/prompts/$PROMPT/rollouts?project=$PROJECT" | jq -e --arg s "$1" '.items[0] | select(.status == $s)'
}
wait_until 120 "deploy's canary of v$CANDIDATE" rollout running
say "deploy canaries v$CANDIDATE against v$(production) on half the sessions"
until rollout promoted >/dev/null 2>&1; do
  (( SECONDS - OPTIMISED < 300 )) || fail "the canary of v$CANDIDATE was not decided within 300 s: $(rollout running || true)"
  say "the bot answers 20 sessions, each on the version deploy routes it to: $(describe "$(bot 20 1)")"
  sleep 5
done
PROMOTED=$SECONDS
say "deploy promoted v$CANDIDATE: production is v$(production)"
say "the bot answers 20 more: $(describe "$(bot 20 1)")"
say "loop: prompt change -> drop reported $((DETECTED - CHANGED)) s -> better version registered $((OPTIMISED - DETECTED)) s -> promoted $((PROMOTED - OPTIMISED)) s; $((PROMOTED - CHANGED)) s in all"
