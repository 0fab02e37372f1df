// The demo's LLM application: a support bot that answers questions with a prompt from Flywheel's
// registry and traces every answer to Flywheel, both through Langfuse's classic JS SDK, unchanged.
// Each session asks deploy which label its prompt comes from (a prompt canary splits sessions
// between `production` and the candidate's label), fetches that prompt (cached by the SDK), compiles
// it with the question, asks the chat endpoint (the stack's LLM stub) and sends a trace with one
// generation linked to the prompt version, which the monitor's online evaluators score.
//
// Settings (env): FLYWHEEL_GATEWAY, FLYWHEEL_KEY (an API key, for deploy's route), LANGFUSE_PUBLIC_KEY,
// LANGFUSE_SECRET_KEY (the LLM project's key pair), PROJECT (its id), LLM_BASE_URL, PROMPT, SESSIONS,
// SESSION_PREFIX, ROUTE (1: ask deploy for each session's label; else `production`).
// Prints one JSON line: answers per prompt version and how many were a bare answer.
import { Langfuse } from "langfuse";

const env = (name, fallback) => process.env[name] ?? fallback ?? (() => { throw new Error(`${name} is not set`); })();
const gateway = env("FLYWHEEL_GATEWAY");
const prompt = env("PROMPT");
const sessions = Number(env("SESSIONS", "40"));
const prefix = env("SESSION_PREFIX", "session");
const route = env("ROUTE", "0") === "1";
const llm = env("LLM_BASE_URL");

// questions the stub knows (llm-stub/README.md)
const QUESTIONS = ["What is the capital of France?", "What is the capital of Japan?", "Which is the largest planet?",
  "Who wrote Hamlet?", "What is the chemical symbol for gold?", "How many continents are there?",
  "What is the capital of Canada?", "What is 12 * 7?"];

const langfuse = new Langfuse({
  publicKey: env("LANGFUSE_PUBLIC_KEY"), secretKey: env("LANGFUSE_SECRET_KEY"), baseUrl: gateway,
  flushAt: 20, flushInterval: 1000,
});

async function labelFor(session) {
  if (!route) return "production";
  const res = await fetch(`${gateway}/api/v1/deployments/prompts/${prompt}/route?project=${env("PROJECT")}&session_id=${encodeURIComponent(session)}`,
    { headers: { "X-API-Key": env("FLYWHEEL_KEY") } });
  if (res.status === 404) return "production"; // no rollout of this prompt: everyone gets production
  if (!res.ok) throw new Error(`deploy's route answered ${res.status}: ${await res.text()}`);
  return (await res.json()).label;
}

const byVersion = {};
for (let i = 0; i < sessions; i++) {
  const session = `${prefix}-${i}`;
  const question = QUESTIONS[i % QUESTIONS.length];
  const label = await labelFor(session);
  const template = await langfuse.getPrompt(prompt, undefined, { label, cacheTtlSeconds: 2 });
  const text = template.compile({ question });
  const started = new Date();
  const res = await fetch(`${llm}/chat/completions`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model: "stub-1", messages: [{ role: "user", content: text }], ...template.config }),
  });
  if (!res.ok) throw new Error(`the chat endpoint answered ${res.status}: ${await res.text()}`);
  const completion = await res.json();
  const answer = completion.choices[0].message.content;
  const trace = langfuse.trace({ name: "support-answer", sessionId: session, input: question, output: answer });
  trace.generation({
    name: "answer", model: completion.model, prompt: template, input: [{ role: "user", content: text }],
    output: { role: "assistant", content: answer }, startTime: started, endTime: new Date(),
    usage: { input: completion.usage.prompt_tokens, output: completion.usage.completion_tokens },
  });
  const counts = byVersion[template.version] ??= { label, answers: 0, bare: 0 };
  counts.answers++;
  if (/^[A-Za-z0-9.]+$/.test(answer.trim())) counts.bare++;
}
await langfuse.shutdownAsync();
console.log(JSON.stringify(byVersion));
