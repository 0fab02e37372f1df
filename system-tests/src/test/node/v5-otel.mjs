// The current Langfuse JS SDK (v5: @langfuse/tracing + @langfuse/otel + @langfuse/client) on the
// OpenTelemetry Node SDK, as an application uses it: a root observation with nested spans and a
// generation (model, model parameters, usage details; no cost: the server prices it), an event,
// trace attributes (userId, sessionId, tags, name; v5 has no updateActiveTrace: propagateAttributes
// is its way) and trace input/output, then three scores (numeric, categorical, boolean) through
// langfuse.score.*. Spans go to POST /api/public/otel/v1/traces (OTLP/JSON), scores to
// POST /api/public/ingestion. Prints the ids it made (hex OTel ids).
import { run, settings } from './guard.mjs';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { LangfuseClient } from '@langfuse/client';
import { propagateAttributes, setActiveTraceIO, startActiveObservation, startObservation } from '@langfuse/tracing';

const { baseUrl, publicKey, secretKey, run: runId } = settings();
// a failed export is reported through OTel's diag logger (to console.error: a problem, see guard.mjs)
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.ERROR);

await run(async () => {
  const processor = new LangfuseSpanProcessor({ publicKey, secretKey, baseUrl, environment: 'sdk-it', release: `sdk-it-${runId}` });
  const sdk = new NodeSDK({ serviceName: 'flywheel-langfuse-sdk-it', spanProcessors: [processor] });
  sdk.start();
  const langfuse = new LangfuseClient({ publicKey, secretKey, baseUrl });

  const ids = {};
  let generation;
  await startActiveObservation(`v5-agent-${runId}`, async root => {
    ids.traceId = root.traceId;
    ids.rootId = root.id;
    root.update({ input: { question: 'What is the capital of France?' }, metadata: { sdk: 'langfuse-js v5', run: runId } });
    await propagateAttributes({
      userId: `user-v5-${runId}`,
      sessionId: `session-v5-${runId}`,
      tags: ['sdk-it', 'v5'],
      traceName: `v5-agent-${runId}`,
    }, async () => {
      await startActiveObservation('retrieve', async retrieve => {
        ids.retrieveId = retrieve.id;
        retrieve.update({ input: { query: 'capital of France' } });
        await startActiveObservation('rerank', async rerank => {
          ids.rerankId = rerank.id;
          rerank.update({ output: { kept: 2 } });
        });
        retrieve.update({ output: { documents: ['Paris is the capital of France.', 'France is in Europe.'] } });
      });
      await startActiveObservation('chat-completion', async gen => {
        generation = gen;
        ids.generationId = gen.id;
        gen.update({
          model: 'gpt-4o-mini',
          modelParameters: { temperature: 0.2, max_tokens: 256 },
          input: [
            { role: 'system', content: 'You answer in one word.' },
            { role: 'user', content: 'What is the capital of France?' },
          ],
          completionStartTime: new Date(),
        });
        gen.update({
          output: { role: 'assistant', content: 'Paris' },
          usageDetails: { input: 2000, output: 500, total: 2500 },
        });
      }, { asType: 'generation' });
      const event = startObservation('answer-ready', { output: { answer: 'Paris' } }, { asType: 'event' });
      ids.eventId = event.id;
      setActiveTraceIO({ input: { question: 'What is the capital of France?' }, output: { answer: 'Paris' } });
      root.update({ output: { answer: 'Paris' } });
      langfuse.score.activeTrace({ name: 'quality', value: 0.92, dataType: 'NUMERIC', comment: 'judged by the test' });
    });
  });
  langfuse.score.observation({ otelSpan: generation.otelSpan }, { name: 'correct', value: 1, dataType: 'BOOLEAN' });
  langfuse.score.create({ traceId: ids.traceId, observationId: ids.generationId, name: 'tone', value: 'friendly', dataType: 'CATEGORICAL' });

  await langfuse.score.flush();
  await processor.forceFlush(); // rejects when the OTLP endpoint refuses the spans
  await langfuse.shutdown();
  await sdk.shutdown();
  const flushedAt = Date.now();
  return { sdk: '@langfuse/otel@5.11.1', flushedAt, ...ids };
});
