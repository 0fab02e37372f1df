#!/usr/bin/env bash
# The LLM act of ./flywheel demo: a prompt on the same closed loop as the models, against the running
# stack through the gateway.
#
#   an LLM project and its key pair -> a support bot's prompt in the registry (production: v1) -> the
#   bot, instrumented with Langfuse's own JS SDK, answers questions -> the monitor's online evaluator
#   scores a share of its answers, a score monitor watches them per prompt version -> a teammate's
#   "simpler" v2 goes to production -> its scores drop -> the monitor says so (quality.degraded)
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
  FLYWHEEL_GATEWAY=$GW FLYWHEEL_KEY=$KEY LANGFUSE_PUBLIC_KEY=$PUBLIC LANGFUSE_SECRET_KEY=$SECRET LLM_BASE_URL=$LLM \
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
  \"labels\": [\"production\"], \"commit_message\": \"first version\"}" "$GW/api/v1/prompts?project=$PROJECT" >/dev/null
say "prompt $PROMPT v$(production) in production: \"Answer the question with only the answer itself, no explanation.\""
json -X PUT -d '{"evaluator": {"type": "regex", "name": "bare_answer", "params": {"pattern": "^\\s*[A-Za-z0-9.]+\\s*$"}},
  "sample_rate": 1}' "$GW/api/v1/llm/online-evaluators/bare-answer?project=$PROJECT" >/dev/null
json -X PUT -d '{"score_name": "bare_answer", "group_by": "prompt", "window": "PT1M", "min_count": 10, "min_mean": 0.8}' \
  "$GW/api/v1/llm/score-monitors?project=$PROJECT" >/dev/null
say "online evaluation: every answer scored bare_answer (a bare word or number, as the support desk's widget needs);"
say "a score monitor judges it per prompt version in 1-minute windows: a mean below 0.8 is a degradation"

say "the bot answers 30 questions: $(describe "$(bot 30 0)")"

json -d "{\"name\": \"$PROMPT\", \"prompt\": \"Answer the question: {{question}}\", \"labels\": [\"production\"],
  \"commit_message\": \"simpler wording\"}" "$GW/api/v1/prompts?project=$PROJECT" >/dev/null
say "a teammate puts a simpler v$(production) in production: \"Answer the question: {{question}}\""
CHANGED=$SECONDS
say "the bot answers 30 more: $(describe "$(bot 30 0)")"
wait_until 200 "the monitor's report of v2's drop" degraded 2
say "the monitor reported v2's drop (quality.degraded, kind llm_score) $((SECONDS - CHANGED)) s after the change"
