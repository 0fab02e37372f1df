// The classic Langfuse JS SDK (langfuse 3.x), as an application uses it: a trace with a span, a
// generation (model, model parameters, usage; no cost: the server prices it) and an event under the
// span, a trace update, three scores (numeric, categorical, boolean), then flushAsync/shutdownAsync.
// Everything goes to POST /api/public/ingestion in one batch. Prints the ids it made.
import { randomUUID } from 'node:crypto';
import { run, settings } from './guard.mjs';
import { Langfuse } from 'langfuse';

const { baseUrl, publicKey, secretKey, run: runId } = settings();

await run(async () => {
  const langfuse = new Langfuse({
    publicKey, secretKey, baseUrl,
    flushAt: 100, flushInterval: 60_000, // one batch, sent by flushAsync below
    fetchRetryCount: 0,                  // a refused batch is a failure here, not something to retry
    requestTimeout: 15_000,
    release: `sdk-it-${runId}`,
  });
  langfuse.on('error', e => console.error('[langfuse error event]', e));

  const trace = langfuse.trace({
    name: `v3-chat-${runId}`,
    sessionId: `session-v3-${runId}`,
    input: { question: 'What is the capital of France?' },
    metadata: { sdk: 'langfuse-js v3', run: runId },
  });
  const span = trace.span({ name: 'answer-question', input: { question: 'What is the capital of France?' } });
  const generation = span.generation({
    name: 'chat-completion',
    model: 'gpt-4o-mini',
    modelParameters: { temperature: 0.2, max_tokens: 256 },
    input: [
      { role: 'system', content: 'You answer in one word.' },
      { role: 'user', content: 'What is the capital of France?' },
    ],
  });
  const event = span.event({ name: 'cache-miss', input: { key: 'capital-of-france' }, level: 'DEBUG' });
  generation.end({
    output: { role: 'assistant', content: 'Paris' },
    usage: { input: 1200, output: 450, total: 1650, unit: 'TOKENS' },
  });
  span.end({ output: { answer: 'Paris' } });
  // v3 sends a trace update as another trace-create with the same id and only these fields
  trace.update({
    userId: `user-v3-${runId}`,
    tags: ['sdk-it', 'v3'],
    output: { answer: 'Paris' },
  });

  const scores = {
    quality: randomUUID(),
    tone: randomUUID(),
    correct: randomUUID(),
  };
  trace.score({ id: scores.quality, name: 'quality', value: 0.87, dataType: 'NUMERIC', comment: 'judged by the test' });
  langfuse.score({ id: scores.tone, traceId: trace.id, observationId: generation.id, name: 'tone', value: 'friendly', dataType: 'CATEGORICAL' });
  generation.score({ id: scores.correct, name: 'correct', value: 1, dataType: 'BOOLEAN' });

  await langfuse.flushAsync();
  await langfuse.shutdownAsync();
  const flushedAt = Date.now();
  return {
    sdk: 'langfuse@3.39.2',
    flushedAt,
    traceId: trace.id,
    spanId: span.id,
    generationId: generation.id,
    eventId: event.id,
    scoreIds: scores,
  };
});
