// Prompt management with both Langfuse JS SDKs against Flywheel's registry, as an application uses it.
// Before this runs, the test (as a Flywheel admin) made `sdk-it/<run>/greeting` v1 with the protected
// label production. The classic v3 client (langfuse 3.x): fetch it by the default label (a folder
// name: the SDK sends it as one %2F-encoded segment), compile it, fetch it again from its cache, create
// text and chat prompts, fetch by version and label, compile a chat prompt with a placeholder, be
// refused production (a key pair is not an admin), fall back on a 404. The v5 client
// (@langfuse/client): prompt.create, prompt.update (labels), prompt.get by label, compile, fallback.
// Prints what it got, for the test to check.
import { expecting, requestsTo, run, settings } from './guard.mjs';
import { Langfuse } from 'langfuse';
import { LangfuseClient } from '@langfuse/client';

const { baseUrl, publicKey, secretKey, run: runId } = settings();
const greeting = `sdk-it/${runId}/greeting`;
const summarize = `sdk-it/${runId}/summarize`;
const support = `sdk-it-chat-${runId}`;
const v5Chat = `sdk-it-v5-${runId}`;
const describe = p => ({ name: p.name, version: p.version, type: p.type, labels: p.labels, tags: p.tags, config: p.config,
  isFallback: p.isFallback, commitMessage: p.commitMessage ?? null });

await run(async () => {
  const v3 = new Langfuse({ publicKey, secretKey, baseUrl, fetchRetryCount: 0, requestTimeout: 15_000 });
  v3.on('error', e => console.error('[langfuse error event]', e));
  const out = { v3: {}, v5: {} };

  // production, set by an admin through Flywheel's API: the default label
  const prod = await v3.getPrompt(greeting);
  out.v3.greeting = { ...describe(prod), compiled: prod.compile({ name: 'Ada', place: 'Flywheel' }) };
  const fetches = requestsTo('GET', '/api/public/v2/prompts/');
  const again = await v3.getPrompt(greeting);
  out.v3.cacheHit = { sameVersion: again.version === prod.version, requestsBefore: fetches, requestsAfter: requestsTo('GET', '/api/public/v2/prompts/') };

  const first = await v3.createPrompt({ name: summarize, prompt: 'Summarise {{text}} in {{words}} words.',
    config: { model: 'gpt-4o-mini', temperature: 0.2 }, labels: ['staging'], tags: ['sdk-it'], commitMessage: 'first draft' });
  const second = await v3.createPrompt({ name: summarize, prompt: 'Summarise {{text}} in at most {{words}} words.',
    config: { model: 'gpt-4o-mini', temperature: 0 }, labels: ['staging'] });
  out.v3.created = [describe(first), describe(second)];
  const byVersion = await v3.getPrompt(summarize, 1);
  const byLabel = await v3.getPrompt(summarize, undefined, { label: 'staging' });
  out.v3.byVersion = { ...describe(byVersion), compiled: byVersion.compile({ text: 'the report', words: '20' }) };
  out.v3.byLabel = { ...describe(byLabel), compiled: byLabel.compile({ text: 'the report', words: '20' }) };

  const chat = await v3.createPrompt({ name: support, type: 'chat', labels: ['staging'], config: { model: 'gpt-4o', temperature: 0.3 },
    prompt: [
      { role: 'system', content: 'You help with {{topic}}.' },
      { type: 'placeholder', name: 'history' },
      { role: 'user', content: '{{question}}' },
    ] });
  const chatFetched = await v3.getPrompt(support, undefined, { label: 'staging', type: 'chat' });
  out.v3.chat = { ...describe(chatFetched), createdVersion: chat.version,
    compiled: chatFetched.compile({ topic: 'billing', question: 'Why was I charged twice?' },
      { history: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello, how can I help?' }] }) };

  // v3 logs a refused create and hands back the error body as the "prompt"
  out.v3.productionRefused = await expecting([403], async () => {
    try {
      const refused = await v3.createPrompt({ name: summarize, prompt: 'sneaky', labels: ['production'] });
      return refused?.promptResponse?.message ?? null;
    } catch (e) {
      return String(e?.message ?? e);
    }
  });
  const fallback = await expecting([404], () => v3.getPrompt(`sdk-it/${runId}/missing`, undefined,
    { fallback: 'Hello {{name}}', cacheTtlSeconds: 0 }));
  out.v3.fallback = { ...describe(fallback), compiled: fallback.compile({ name: 'Ada' }) };

  // the v5 client
  const v5 = new LangfuseClient({ publicKey, secretKey, baseUrl });
  const c1 = await v5.prompt.create({ name: v5Chat, type: 'chat', labels: ['staging'], config: { model: 'gpt-4o-mini' },
    prompt: [{ role: 'system', content: 'Be brief about {{topic}}.' }, { type: 'placeholder', name: 'history' },
      { role: 'user', content: '{{question}}' }] });
  const c2 = await v5.prompt.create({ name: v5Chat, type: 'chat', labels: ['staging'],
    prompt: [{ role: 'system', content: 'Be very brief about {{topic}}.' }, { role: 'user', content: '{{question}}' }] });
  out.v5.created = [describe(c1), describe(c2)];
  const staging = await v5.prompt.get(v5Chat, { label: 'staging', type: 'chat' });
  out.v5.staging = describe(staging);
  const updated = await v5.prompt.update({ name: v5Chat, version: 1, newLabels: ['canary'] });
  out.v5.updated = { version: updated.version, labels: updated.labels };
  out.v5.productionRefused = await expecting([403], async () => {
    try {
      await v5.prompt.update({ name: v5Chat, version: 2, newLabels: ['production'] });
      return null;
    } catch (e) {
      return `${e?.statusCode ?? ''} ${JSON.stringify(e?.body ?? e?.message ?? String(e))}`;
    }
  });
  const canary = await v5.prompt.get(v5Chat, { label: 'canary', type: 'chat' });
  out.v5.canary = { ...describe(canary), compiled: canary.compile({ topic: 'refunds', question: 'How long?' },
    { history: [{ role: 'user', content: 'Hi' }] }) };
  const folder = await v5.prompt.get(greeting);
  out.v5.greeting = { ...describe(folder), compiled: folder.compile({ name: 'Grace', place: 'the registry' }) };
  const v5Text = await v5.prompt.get(summarize, { version: 2 });
  out.v5.summarizeV2 = describe(v5Text);
  const v5Fallback = await expecting([404], () => v5.prompt.get(`sdk-it/${runId}/missing-too`,
    { fallback: 'Fallback {{x}}', cacheTtlSeconds: 0 }));
  out.v5.fallback = describe(v5Fallback);
  await v3.shutdownAsync();
  return out;
});
